package uk.ac.manchester.tornado.cudnn;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/**
 * cuDNN operations for {@code TaskGraph.libraryTask}: fp32 tensors in NCHW order (batch, channels, rows, columns, the
 * last fastest), except attention's fp16 BHSD ones. Convolution is cross-correlation, as in deep learning.
 */
public final class CuDnn {
    public static final String LIBRARY_NAME = "nvidia/cudnn";

    private CuDnn() {
    }

    /** Softmax of each of {@code rows} rows of {@code cols} values (the maximum subtracted first, as cuDNN's accurate mode). */
    public static LibraryTaskDescriptor cudnnSoftmax(FloatArray input, FloatArray output, int rows, int cols) {
        return Bindings.call(LIBRARY_NAME, "cudnnSoftmax", 1, false, input, output, rows, cols);
    }

    public static LibraryTaskDescriptor cudnnRelu(FloatArray input, FloatArray output, int size) {
        return Bindings.call(LIBRARY_NAME, "cudnnRelu", 1, false, input, output, size);
    }

    public static LibraryTaskDescriptor cudnnSigmoid(FloatArray input, FloatArray output, int size) {
        return Bindings.call(LIBRARY_NAME, "cudnnSigmoid", 1, false, input, output, size);
    }

    public static LibraryTaskDescriptor cudnnTanh(FloatArray input, FloatArray output, int size) {
        return Bindings.call(LIBRARY_NAME, "cudnnTanh", 1, false, input, output, size);
    }

    /** Max pooling of an n x c x h x w tensor, square window and stride, no padding: {@code (h - window) / stride + 1} rows out. */
    public static LibraryTaskDescriptor cudnnMaxPool2d(FloatArray input, FloatArray output, int n, int c, int h, int w, int window, int stride) {
        return Bindings.call(LIBRARY_NAME, "cudnnMaxPool2d", 1, false, input, output, n, c, h, w, window, stride);
    }

    /**
     * Attention, {@code O = softmax(Q K^T * scale) V} per batch and head, fp16 tensors [b, h, s, d] (Q and O sQ rows, K and V
     * sKv), fp32 inside; {@code causal} lets query i see keys 0 .. i alone (the diagonal from the top left).
     */
    public static LibraryTaskDescriptor sdpaForward(HalfFloatArray q, HalfFloatArray k, HalfFloatArray v, HalfFloatArray o, int b, int h, int sQ,
            int sKv, int d, float scale, boolean causal) {
        return Bindings.call(LIBRARY_NAME, "sdpaForward", 3, false, q, k, v, o, b, h, sQ, sKv, d, scale, causal);
    }

    /**
     * Convolution: input n x c x h x w, filter k x c x r x s, zero padding {@code pad} on every side, {@code stride} both ways;
     * output n x k x ((h + 2 pad - r) / stride + 1) x ((w + 2 pad - s) / stride + 1).
     */
    public static LibraryTaskDescriptor cudnnConv2d(FloatArray input, FloatArray filter, FloatArray output, int n, int c, int h, int w, int k, int r,
            int s, int pad, int stride) {
        return Bindings.call(LIBRARY_NAME, "cudnnConv2d", 2, false, input, filter, output, n, c, h, w, k, r, s, pad, stride);
    }
}

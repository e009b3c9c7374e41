package uk.ac.manchester.tornado.api.types.images;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.nio.FloatBuffer;

/**
 * TornadoVM's image of {@code float}: X columns by Y rows in a {@link FloatArray}, row by row, pixel {@code (x, y)} at
 * {@code x + y * X}. In kernels {@code get(x, y)}, {@code set(x, y, v)}, {@code X()}, {@code Y()} and {@code size()}
 * work: the kernel reads the engine array, and the extents arrive with it.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 2)
public final class ImageFloat extends GridView<FloatArray> {
    public static final Class<ImageFloat> TYPE = ImageFloat.class;

    /** An image whose pixels are {@code array}'s (not a copy), which must hold {@code width * height} of them. */
    public ImageFloat(int width, int height, FloatArray array) {
        super(array, 1, width, height);
    }

    /** An image of zeros. */
    public ImageFloat(int width, int height) {
        this(width, height, new FloatArray(elements("ImageFloat", 1, width, height)));
    }

    /** An image of {@code matrix.length} columns holding a copy of {@code matrix}: pixel {@code (x, y)} is {@code matrix[x][y]}. */
    public ImageFloat(float[][] matrix) {
        this(matrix.length, matrix.length == 0 ? 0 : matrix[0].length);
        for (int x = 0; x < X(); x++) {
            if (matrix[x].length != Y()) {
                throw new IllegalArgumentException("an image's columns must have one length; column 0 has " + Y() + ", column " + x + " has "
                        + matrix[x].length);
            }
            for (int y = 0; y < Y(); y++) {
                set(x, y, matrix[x][y]);
            }
        }
    }

    /** Multiplies every pixel by {@code alpha}. */
    public static void scale(ImageFloat image, float alpha) {
        for (int i = 0; i < image.size(); i++) {
            image.storage.set(i, image.storage.get(i) * alpha);
        }
    }

    public float get(int x, int y) {
        return storage.get(at(x, y));
    }

    public void set(int x, int y, float value) {
        storage.set(at(x, y), value);
    }

    /** Pixel {@code i}, counted row by row. */
    public float get(int i) {
        return storage.get(atPoint(i));
    }

    public void set(int i, float value) {
        storage.set(atPoint(i), value);
    }

    /** Sets the first {@code values.length} pixels, row by row. */
    public void put(float[] values) {
        for (int i = 0; i < values.length; i++) {
            set(i, values[i]);
        }
    }

    public void fill(float value) {
        storage.init(value);
    }

    public ImageFloat duplicate() {
        ImageFloat copy = new ImageFloat(X(), Y());
        copy.set(this);
        return copy;
    }

    /** Copies {@code other}'s pixels, which must have this image's shape. */
    public void set(ImageFloat other) {
        copyFrom(other);
    }

    /** The pixels' mean. */
    public float mean() {
        float sum = 0;
        for (int i = 0; i < size(); i++) {
            sum += storage.get(i);
        }
        return sum / size();
    }

    public float min() {
        float out = Float.POSITIVE_INFINITY;
        for (int i = 0; i < size(); i++) {
            out = Math.min(out, storage.get(i));
        }
        return out;
    }

    public float max() {
        float out = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size(); i++) {
            out = Math.max(out, storage.get(i));
        }
        return out;
    }

    /** The pixels' standard deviation: the square root of their mean squared distance from the mean. */
    public float stdDev() {
        float mean = mean();
        float sum = 0;
        for (int i = 0; i < size(); i++) {
            float d = storage.get(i) - mean;
            sum += d * d;
        }
        return (float) Math.sqrt(sum / size());
    }

    /** A line with the shape, min, max, mean and standard deviation (TornadoVM's spelling of "summarise"). */
    public String summerise() {
        return format("ImageFloat<%dx%d>: min=%e, max=%e, mean=%e, sd=%e", X(), Y(), min(), max(), mean(), stdDev());
    }

    /** A heap copy of the pixels, row by row. */
    public FloatBuffer asBuffer() {
        return FloatBuffer.wrap(storage.toHeapArray());
    }

    /** Sets the pixels, row by row, from the buffer's remaining elements. */
    public void loadFromBuffer(FloatBuffer buffer) {
        for (int i = 0; i < size() && buffer.hasRemaining(); i++) {
            storage.set(i, buffer.get());
        }
    }

    /** The pixels, each written with {@code fmt}, a row a line. */
    public String toString(String fmt) {
        return rows(at -> format(fmt, storage.get(at)));
    }

    /** The shape, and the pixels of an image smaller than 16 in both directions. */
    @Override
    public String toString() {
        return describe(at -> format("%.3f", storage.get(at)));
    }
}

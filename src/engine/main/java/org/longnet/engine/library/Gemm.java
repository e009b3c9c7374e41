package org.longnet.engine.library;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.device.cuda.CudaDevice;
import org.longnet.engine.graph.LibraryTask;

import java.util.List;

/**
 * GEMM as a library task: cuBLAS on {@code cuda}, the tiled {@link GemmKernels#gemm} kernel on
 * other GPUs, the row-wise {@link GemmKernels#gemmRows} kernel on CPUs ({@code jvm}, PoCL). A and B may be fp32, fp16 or bf16 (16-bit inputs
 * accumulate in fp32);
 * C is fp32, or of A's and B's 16-bit format where they share one (the product rounded as it is written: half the
 * bytes for a large activation that a 16-bit consumer reads next).
 * fp32 products may run as TF32 on cuBLAS where the caller allows it ({@link #allowingTf32}): operands rounded to
 * 10 mantissa bits, fp32 accumulation, several times the fp32 rate on tensor cores.
 * Each matrix may start part-way into its array (an element offset), so a product can work on a
 * range of rows of a larger activation, such as one chunk of a long sequence.
 * <pre>{@code graph.library("mm", Gemm.of(GemmShape.of(m, n, k), a, b, c)); }</pre>
 */
public final class Gemm implements LibraryTask {
    private static final KernelInfo KERNEL = KernelInfo.of(GemmKernels.class, "gemm");
    private static final KernelInfo ROWS = KernelInfo.of(GemmKernels.class, "gemmRows");
    private static final KernelInfo WIDEN_BF16 = KernelInfo.of(GemmKernels.class, "widenBf16");
    private static final KernelInfo WIDEN_HALF = KernelInfo.of(GemmKernels.class, "widenHalf");
    private static final KernelInfo NARROW_BF16 = KernelInfo.of(PrecisionKernels.class, "toBf16");
    private static final KernelInfo NARROW_HALF = KernelInfo.of(PrecisionKernels.class, "toHalf");

    /** Which code computes the product; {@code AUTO} picks cuBLAS on CUDA, TILED on other GPUs, ROWS on CPUs. */
    public enum Implementation {
        AUTO, CUBLAS, TILED, ROWS;

        /** Whether this implementation runs on {@code device}: cuBLAS needs a cuda device, the others run anywhere. */
        public boolean runsOn(Device device) {
            return this != CUBLAS || device instanceof CudaDevice;
        }
    }

    private final GemmShape shape;
    private Implementation implementation = Implementation.AUTO;
    private boolean tf32;
    private final DeviceArray a, b, c;
    /** Where A, B and C start in their arrays, in elements. */
    private final long offsetA, offsetB, offsetC;
    /** fp32 copies of 16-bit A, B and C for the portable kernels; made on first use. */
    private final FloatArray[] wide = new FloatArray[3];
    /** Launches readied once per device (the product, the widening of A, B and C, the narrowing of C): a GEMM's arguments never change. */
    private final Device.Prepared[] prepared = new Device.Prepared[5];
    private Device preparedOn;

    private Gemm(GemmShape shape, DeviceArray a, long offsetA, DeviceArray b, long offsetB, DeviceArray c, long offsetC) {
        this.shape = shape;
        this.a = check("A", a, offsetA, shape.sizeA());
        this.b = check("B", b, offsetB, shape.sizeB());
        this.c = check("C", c, offsetC, shape.sizeC());
        if (!(c instanceof FloatArray) && !(c.getClass() == a.getClass() && c.getClass() == b.getClass())) {
            throw new IllegalArgumentException("GEMM C must be a FloatArray, or of A's and B's 16-bit type where they share one; was "
                    + c.getClass().getSimpleName() + " with A " + a.getClass().getSimpleName() + ", B " + b.getClass().getSimpleName());
        }
        this.offsetA = offsetA;
        this.offsetB = offsetB;
        this.offsetC = offsetC;
    }

    public static Gemm of(GemmShape shape, DeviceArray a, DeviceArray b, DeviceArray c) {
        return new Gemm(shape, a, 0, b, 0, c, 0);
    }

    /** The product of matrices that start {@code offsetA}, {@code offsetB} and {@code offsetC} elements into their arrays. */
    public static Gemm of(GemmShape shape, DeviceArray a, long offsetA, DeviceArray b, long offsetB, DeviceArray c, long offsetC) {
        return new Gemm(shape, a, offsetA, b, offsetB, c, offsetC);
    }

    private static DeviceArray check(String name, DeviceArray array, long offset, long needed) {
        if (!(array instanceof FloatArray || array instanceof BFloat16Array || array instanceof HalfFloatArray)) {
            throw new IllegalArgumentException("GEMM " + name + " must be a FloatArray, HalfFloatArray or BFloat16Array");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("GEMM offset of " + name + " must be >= 0, was " + offset);
        }
        if (array.getSize() - offset < needed) {
            throw new IllegalArgumentException("GEMM " + name + " has " + array.getSize() + " elements but the shape needs "
                    + needed + (offset == 0 ? "" : " after its offset " + offset));
        }
        return array;
    }

    @Override
    public List<DeviceArray> arrays() {
        return List.of(a, b, c);
    }

    public GemmShape shape() {
        return shape;
    }

    /** Forces one implementation (for tests and benchmarks); cuBLAS exists only on CUDA devices. */
    public Gemm using(Implementation implementation) {
        this.implementation = implementation;
        close();
        return this;
    }

    /**
     * Lets fp32 products run as TF32 on cuBLAS (inputs rounded to 10 mantissa bits, about 5e-4 relative, fp32
     * accumulation); the portable kernels keep fp32 products, and 16-bit inputs are unaffected.
     */
    public Gemm allowingTf32(boolean allowed) {
        this.tf32 = allowed;
        return this;
    }

    private Implementation resolve(Device device) {
        if (!implementation.runsOn(device)) {
            throw new IllegalArgumentException("GEMM implementation " + implementation + " needs a cuda device, not " + device.info().id());
        }
        if (implementation != Implementation.AUTO) {
            return implementation;
        }
        return Implementation.CUBLAS.runsOn(device) ? Implementation.CUBLAS : device.info().gpu() ? Implementation.TILED : Implementation.ROWS;
    }

    /**
     * cuBLAS's calls and the portable kernels' launches are all a run enqueues once its arrays (and the fp32 copies of 16-bit
     * ones) are on the device, which its first run sees to; its pointers and scalars never change after.
     */
    @Override
    public boolean capturable() {
        return true;
    }

    @Override
    public long run(Device device, boolean timed) {
        Implementation chosen = resolve(device);
        if (chosen == Implementation.CUBLAS) {
            CudaDevice cuda = (CudaDevice) device;
            return cuda.timed(timed, "cuBLAS GEMM", () -> Cublas.get().gemm(cuda.stream(), shape, address(cuda, a, offsetA), type(a),
                    address(cuda, b, offsetB), type(b), address(cuda, c, offsetC), type(c), tf32));
        }
        FloatArray fa = widened(device, a, 0, timed);
        FloatArray fb = widened(device, b, 1, timed);
        // A 16-bit C goes through an fp32 copy of the whole array, rounded back after: elements outside the product
        // come back as they were (16 bits -> fp32 -> the same 16 bits is exact).
        FloatArray fc = widened(device, c, 2, timed);
        long nanos = product(device, chosen, fa, fb, fc, timed);
        if (!(c instanceof FloatArray)) {
            long count = c.getSize(), local = device.defaultLocal(1)[0];
            nanos += launch(device, 4, c instanceof BFloat16Array ? NARROW_BF16 : NARROW_HALF, new Object[] {fc, c, count},
                    new Launch(new long[] {(count + local - 1) / local * local}, new long[] {local}), timed);
        }
        return nanos;
    }

    /** C (fp32) of the portable kernels from fp32 A and B. */
    private long product(Device device, Implementation chosen, FloatArray fa, FloatArray fb, FloatArray c, boolean timed) {
        if (chosen == Implementation.ROWS) {
            Object[] args = {shape.transA(), shape.transB(), shape.m(), shape.n(), shape.k(), shape.alpha(), fa, offsetA,
                    shape.lda(), shape.strideA(), fb, offsetB, shape.ldb(), shape.strideB(), shape.beta(), c, offsetC, shape.ldc(),
                    shape.strideC(), shape.batch()};
            long rows = (long) shape.batch() * shape.m();
            long local = Math.min(64, device.info().maxWorkGroupSize());
            return launch(device, 0, ROWS, args, new Launch(new long[] {(rows + local - 1) / local * local}, new long[] {local}), timed);
        }
        Object[] args = {null, shape.transA(), shape.transB(), shape.m(), shape.n(), shape.k(), shape.alpha(), fa, offsetA,
                shape.lda(), shape.strideA(), fb, offsetB, shape.ldb(), shape.strideB(), shape.beta(), c, offsetC, shape.ldc(),
                shape.strideC()};
        long tilesX = (shape.n() + GemmKernels.BN - 1) / GemmKernels.BN;
        long tilesY = (shape.m() + GemmKernels.BM - 1) / GemmKernels.BM;
        Launch launch = new Launch(new long[] {tilesX * GemmKernels.THREADS_X, tilesY * GemmKernels.THREADS_Y, shape.batch()},
                new long[] {GemmKernels.THREADS_X, GemmKernels.THREADS_Y, 1});
        return launch(device, 0, KERNEL, args, launch, timed);
    }

    private long launch(Device device, int slot, KernelInfo kernel, Object[] args, Launch launch, boolean timed) {
        if (preparedOn != device) {
            close();
            preparedOn = device;
        }
        Device.Prepared p = prepared[slot];
        if (p == null || !p.valid()) {
            if (p != null) {
                p.close();
            }
            p = device.prepare(kernel, args, launch);
            prepared[slot] = p;
        }
        return p.launch(timed);
    }

    @Override
    public void close() {
        for (int i = 0; i < prepared.length; i++) {
            if (prepared[i] != null) {
                prepared[i].close();
                prepared[i] = null;
            }
        }
    }

    /** x itself if fp32, else its fp32 copy (matrix {@code which}: 0 A, 1 B, 2 C), widened now. */
    private FloatArray widened(Device device, DeviceArray x, int which, boolean timed) {
        if (x instanceof FloatArray f) {
            return f;
        }
        if (wide[which] == null) {
            wide[which] = new FloatArray(x.getSize());
        }
        device.allocate(wide[which]);
        KernelInfo widen = x instanceof BFloat16Array ? WIDEN_BF16 : WIDEN_HALF;
        long count = x.getSize();
        long local = device.defaultLocal(1)[0];
        launch(device, which + 1, widen, new Object[] {x, wide[which]}, new Launch(new long[] {(count + local - 1) / local * local},
                new long[] {local}), timed);
        return wide[which];
    }

    private static long address(CudaDevice cuda, DeviceArray x, long offset) {
        return cuda.pointer(x) + offset * x.elementBytes();
    }

    private static int type(DeviceArray x) {
        return x instanceof BFloat16Array ? Cublas.CUDA_R_16BF : x instanceof HalfFloatArray ? Cublas.CUDA_R_16F : Cublas.CUDA_R_32F;
    }
}

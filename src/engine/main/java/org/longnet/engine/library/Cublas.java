package org.longnet.engine.library;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeLibrary;
import org.longnet.engine.device.cuda.CudaStream;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS strided-batched GEMM. cuBLAS is column-major; a row-major C = op(A) op(B) is the
 * column-major C^T = op(B)^T op(A)^T, so the operands swap places and nothing is copied.
 */
final class Cublas {
    static final int CUDA_R_32F = 0, CUDA_R_16F = 2, CUDA_R_16BF = 14, CUBLAS_COMPUTE_32F = 68, CUBLAS_COMPUTE_32F_FAST_TF32 = 77,
            CUBLAS_GEMM_DEFAULT = -1;

    private static Cublas instance;
    private final MethodHandle create, sgemm, gemmEx, setStream, setWorkspace;
    private final MemorySegment handle;
    /** The stream the handle's calls go to now: the NULL stream until a CUDA graph records one. */
    private CudaStream stream = CudaStream.NULL;
    private final Arena arena = Arena.ofShared();

    private Cublas() {
        NativeLibrary lib = NativeLibrary.open(List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"));
        create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        sgemm = lib.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS,
                JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        gemmEx = lib.function("cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
        setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        setWorkspace = lib.function("cublasSetWorkspace_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        MemorySegment h = arena.allocate(ADDRESS);
        check(call(() -> (int) create.invokeExact(h)), "cublasCreate");
        handle = h.get(ADDRESS, 0);
    }

    /** One handle for the process; the CUDA context must be current on the calling thread. */
    static synchronized Cublas get() {
        if (instance == null) {
            instance = new Cublas();
        }
        return instance;
    }

    /**
     * C = op(A) op(B) on device pointers, enqueued on {@code on}; {@code tf32} lets an all-fp32 product round its operands to
     * TF32. The scalars alpha and beta are host values (the default pointer mode), which a recorded call keeps as they were.
     */
    void gemm(CudaStream on, GemmShape s, long a, int aType, long b, int bType, long c, int cType, boolean tf32) {
        use(on);
        try (Arena t = Arena.ofConfined()) {
            MemorySegment alpha = t.allocateFrom(JAVA_FLOAT, s.alpha());
            MemorySegment beta = t.allocateFrom(JAVA_FLOAT, s.beta());
            int opA = s.transB() ? 1 : 0;
            int opB = s.transA() ? 1 : 0;
            int status;
            boolean fp32 = aType == CUDA_R_32F && bType == CUDA_R_32F && cType == CUDA_R_32F;
            int compute = fp32 && tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
            if (fp32 && !tf32) {
                status = call(() -> (int) sgemm.invokeExact(handle, opA, opB, s.n(), s.m(), s.k(), alpha, b, s.ldb(), s.strideB(),
                        a, s.lda(), s.strideA(), beta, c, s.ldc(), s.strideC(), s.batch()));
            } else {
                status = call(() -> (int) gemmEx.invokeExact(handle, opA, opB, s.n(), s.m(), s.k(), alpha, b, bType, s.ldb(),
                        s.strideB(), a, aType, s.lda(), s.strideA(), beta, c, cType, s.ldc(), s.strideC(), s.batch(),
                        compute, CUBLAS_GEMM_DEFAULT));
            }
            check(status, "cuBLAS GEMM " + s);
        }
    }

    /**
     * Points the handle at {@code on} where it points elsewhere. cublasSetStream puts the library's own workspace back, so a
     * recording stream's workspace is set after it. Both only change the handle's settings and may be called while a stream
     * records (PyTorch sets both on each call inside its captures); the first recorded GEMM makes the switch.
     */
    private void use(CudaStream on) {
        if (on.equals(stream)) {
            return;
        }
        check(call(() -> (int) setStream.invokeExact(handle, on.handle())), "cublasSetStream");
        if (on.workspaceBytes() > 0) {
            check(call(() -> (int) setWorkspace.invokeExact(handle, on.workspace(), on.workspaceBytes())), "cublasSetWorkspace");
        }
        stream = on;
    }

    private interface Native {
        int call() throws Throwable;
    }

    private static int call(Native n) {
        try {
            return n.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new DeviceException("cuBLAS call failed: " + t, t);
        }
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new DeviceException(what + " failed with cublasStatus " + status);
        }
    }
}

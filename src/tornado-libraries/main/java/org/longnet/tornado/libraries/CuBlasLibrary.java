package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cublas.CuBlas;
import uk.ac.manchester.tornado.cublas.CuBlasOptions;
import uk.ac.manchester.tornado.cublas.enums.CuBlasMathMode;

import java.util.Map;

/** The functions of {@link CuBlas}: GEMMs as {@link GemmLibrary} runs them, gemv on the host. */
public final class CuBlasLibrary extends GemmLibrary {
    public CuBlasLibrary() {
        super(CuBlas.LIBRARY_NAME, Map.of(
                "cublasSgemm", CuBlasLibrary::sgemm,
                "cublasSgemmStridedBatched", GemmCall::stridedBatched,
                "cublasGemmExFP16", GemmCall::of,
                "cublasGemmExFP16FP32", GemmCall::of,
                "cublasGemmExBF16", GemmCall::of),
                Map.of("cublasSgemv", HostGemv::run));
    }

    /** An fp32 GEMM, its inputs rounded to TF32 where its options ask for TF32 math. */
    private static GemmCall sgemm(Call call) {
        GemmCall g = GemmCall.of(call);
        return call.tuning() instanceof CuBlasOptions o && o.getMathMode() == CuBlasMathMode.CUBLAS_TF32_TENSOR_OP_MATH ? g.roundingToTf32() : g;
    }
}

package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cutlass.Cutlass;

import java.util.Map;
import java.util.function.Function;

/** The functions of {@link Cutlass}: row-major GEMMs ({@link GemmCall#rowMajor}), and fused bias and activation ones. */
public final class CutlassLibrary extends GemmLibrary {
    public CutlassLibrary() {
        super(Cutlass.LIBRARY_NAME, Map.of(
                "cutlassSgemm", CutlassLibrary::gemm,
                "cutlassHgemm", CutlassLibrary::gemm,
                "cutlassBgemm", CutlassLibrary::gemm,
                "cutlassHgemmBatched", call -> GemmCall.rowMajor(call.name(), call.integer(0), call.integer(1), call.integer(2), call.real(3),
                        call.param(4, Object.class), call.param(5, Object.class), call.real(6), call.param(7, Object.class), call.integer(8)),
                "cutlassGemmBiasRelu", fused(Activation.RELU),
                "cutlassGemmBiasGelu", fused(Activation.GELU_ERF),
                "cutlassGemmBiasSilu", fused(Activation.SILU),
                "cutlassGemmBiasSigmoid", fused(Activation.SIGMOID),
                "cutlassGemmBiasTanh", fused(Activation.TANH),
                "cutlassGemmBiasHardSwish", fused(Activation.HARDSWISH)),
                Map.of());
    }

    /** Parameters m, n, k, alpha, A, B, beta, C. */
    private static GemmCall gemm(Call call) {
        return GemmCall.rowMajor(call.name(), call.integer(0), call.integer(1), call.integer(2), call.real(3), call.param(4, Object.class),
                call.param(5, Object.class), call.real(6), call.param(7, Object.class), 1);
    }

    /** Parameters m, n, k, A, B, bias (n values, one per column of the row-major D), D: {@code D = f(A * B + bias)}. */
    private static Function<Call, GemmCall> fused(Activation f) {
        return call -> GemmCall.rowMajor(call.name(), call.integer(0), call.integer(1), call.integer(2), 1f, call.param(3, Object.class),
                call.param(4, Object.class), 0f, call.param(6, Object.class), 1).withBias(call.param(5, Object.class)).then(f);
    }
}

package org.longnet.tornado.libraries;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

import java.util.Optional;

/**
 * A plain {@link GemmCall} as the engine's {@link Gemm} (cuBLAS on cuda devices, the engine's kernels elsewhere), run where
 * its arrays are. The engine's GEMM is row-major: the column-major {@code C = op(A) op(B)} is the row-major
 * {@code C^T = op(B)^T op(A)^T} on the same memory, so B comes first, m and n swap and so do the transposes.
 */
public final class EngineGemm {
    private EngineGemm() {
    }

    /** The engine's GEMM for {@code g}, if it computes it: no epilogue, fp32, fp16 or bf16 arrays, C fp32 or of A's and B's type, sizes >= 1. */
    public static Optional<Gemm> of(GemmCall g) {
        DeviceArray a = DeviceArrayView.of(g.a()), b = DeviceArrayView.of(g.b()), c = DeviceArrayView.of(g.c());
        if (!g.plain() || g.m() == 0 || g.n() == 0 || g.k() == 0 || g.batch() == 0 || !floating(a) || !floating(b) || !floating(c)
                || a.getClass() != b.getClass() || !(c instanceof FloatArray || c.getClass() == a.getClass())
                || g.batch() > 1 && g.strideC() < (long) g.n() * g.ldc()) {
            return Optional.empty();
        }
        GemmShape shape = new GemmShape(g.transB(), g.transA(), g.n(), g.m(), g.k(), g.alpha(), g.beta(), g.ldb(), g.lda(), g.ldc(),
                g.strideB(), g.strideA(), g.strideC(), g.batch());
        return Optional.of(Gemm.of(shape, b, a, c).allowingTf32(g.tf32()));
    }

    /** Runs {@code gemm} on {@code device}, returning its nanoseconds when {@code timed}; the arrays must be there. */
    public static long run(Gemm gemm, Device device, boolean timed) {
        try {
            return gemm.run(device, timed);
        } finally {
            gemm.close();
        }
    }

    private static boolean floating(DeviceArray x) {
        return x instanceof FloatArray || x instanceof HalfFloatArray || x instanceof BFloat16Array;
    }
}

package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.translator.TranslatorRejectsTest.assertCompiles;
import static org.longnet.engine.translator.TranslatorRejectsTest.assertRejected;

/** The limits of cluster kernels and of setmaxnreg fail the build at the offending line, saying what is allowed. */
class ClusterKernelsRejectsTest {
    private static final String KERNEL = """
            package bad;
            import org.longnet.engine.api.*;
            public class Bad {
                @Kernel(%s)
                public static void k(KernelContext ctx, FloatArray x, int n) {
                    float[] tile = ctx.allocateFloatLocalArray(128);
                    float[] acc = new float[4];
                    %s
                }
                static float helper(KernelContext ctx) { return ctx.localIdx; }
            }
            """;
    private static final String CLUSTERED = "clusterSize = 2", BOUNDED = "groupSize = 256, minGroupsPerUnit = 1";

    /** {@code settings} of @Kernel (line 4) and {@code body} (line 8) of the kernel; the error's {@code line} and {@code message}. */
    record Bad(String what, String settings, String body, int line, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Bad> cases() {
        return List.of(
                new Bad("cluster intrinsic without clusters", "", "x.set(0, Clusters.rank(ctx));", 8,
                        "Clusters.rank needs clusters: declare the kernel @Kernel(clusterSize = 1 to 8)"),
                new Bad("cluster too large", "clusterSize = 9", "x.set(0, 1f);", 5, "@Kernel(clusterSize) must be 1 to 8"),
                new Bad("context passed to a helper", CLUSTERED, "x.set(0, helper(ctx));", 8,
                        "a kernel with @Kernel(clusterSize) cannot pass its KernelContext to a helper"),
                new Bad("warp emulation in a cluster kernel", CLUSTERED, "ctx.mmaBf16(tile, 0, 16, tile, 0, 8, acc, 0);", 8,
                        "a kernel with @Kernel(clusterSize) cannot call KernelContext.mmaBf16"),
                new Bad("barrier with phases in a cluster kernel", CLUSTERED,
                        "long[] bars = ctx.allocateLongLocalArray(1); Mbarriers.init(ctx, bars, 0, 1);", 8,
                        "a kernel with @Kernel(clusterSize) cannot call Mbarriers.init"),
                new Bad("local array sized by a parameter", CLUSTERED, "float[] s = ctx.allocateFloatLocalArray(n); x.set(0, s[0]);", 5,
                        "a kernel with @Kernel(clusterSize) takes local arrays of constant lengths only"),
                new Bad("register count not a multiple of 8", BOUNDED, "Warpgroups.increaseRegisters(ctx, 228);", 8,
                        "Warpgroups.increaseRegisters's count must be a multiple of 8 from 24 to 256 (setmaxnreg), was 228"),
                new Bad("register count below 24", BOUNDED, "Warpgroups.decreaseRegisters(ctx, 16);", 8, "from 24 to 256 (setmaxnreg), was 16"),
                new Bad("setmaxnreg without minGroupsPerUnit", "groupSize = 256", "Warpgroups.decreaseRegisters(ctx, 40);", 8,
                        "Warpgroups.decreaseRegisters needs @Kernel(groupSize = a multiple of 128, minGroupsPerUnit = 1 or more), was 256 and 0"),
                new Bad("register count not a literal", BOUNDED, "int c = 40; Warpgroups.decreaseRegisters(ctx, c);", 8,
                        "decreaseRegisters's count must be an int literal"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(Bad bad) {
        assertRejected(KERNEL.formatted(bad.settings(), bad.body()), bad.line(), bad.message());
    }

    @Test
    void validUsesTranslate() {
        assertCompiles(KERNEL.formatted(CLUSTERED, "Clusters.barrier(ctx); x.set(0, Clusters.load(ctx, tile, 1, 3)); Clusters.barrier(ctx);"));
        String cuda = assertCompiles(KERNEL.formatted(BOUNDED,
                "if (Warpgroups.index(ctx) == 0) { Warpgroups.decreaseRegisters(ctx, 40); } else { Warpgroups.increaseRegisters(ctx, 232); }"))
                .file("bad/Bad.cu");
        assertTrue(cuda.contains("longnet_decrease_registers<40>()") && cuda.contains("longnet_increase_registers<232>()"), cuda);
    }
}

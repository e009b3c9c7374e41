package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;

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

    @Test
    void clusterIntrinsicsNeedAClusterKernel() {
        assertRejected(KERNEL.formatted("", "x.set(0, Clusters.rank(ctx));"), 8,
                "Clusters.rank needs clusters: declare the kernel @Kernel(clusterSize = 1 to 8)");
        assertRejected(KERNEL.formatted("clusterSize = 9", "x.set(0, 1f);"), 5, "@Kernel(clusterSize) must be 1 to 8");
        assertCompiles(KERNEL.formatted("clusterSize = 2", "Clusters.barrier(ctx); x.set(0, Clusters.load(ctx, tile, 1, 3)); Clusters.barrier(ctx);"));
    }

    @Test
    void clusterKernelsKeepTheirIdsToThemselves() {
        assertRejected(KERNEL.formatted("clusterSize = 2", "x.set(0, helper(ctx));"), 8,
                "a kernel with @Kernel(clusterSize) cannot pass its KernelContext to a helper");
        assertRejected(KERNEL.formatted("clusterSize = 2", "ctx.mmaBf16(tile, 0, 16, tile, 0, 8, acc, 0);"), 8,
                "a kernel with @Kernel(clusterSize) cannot call KernelContext.mmaBf16");
        assertRejected(KERNEL.formatted("clusterSize = 2", "float[] s = ctx.allocateFloatLocalArray(n); x.set(0, s[0]);"), 5,
                "a kernel with @Kernel(clusterSize) takes local arrays of constant lengths only");
    }

    @Test
    void setmaxnregNeedsAValidCountAndBothLaunchBounds() {
        assertRejected(KERNEL.formatted("groupSize = 256, minGroupsPerUnit = 1", "Warpgroups.increaseRegisters(ctx, 228);"), 8,
                "Warpgroups.increaseRegisters's count must be a multiple of 8 from 24 to 256 (setmaxnreg), was 228");
        assertRejected(KERNEL.formatted("groupSize = 256, minGroupsPerUnit = 1", "Warpgroups.decreaseRegisters(ctx, 16);"), 8,
                "was 16");
        assertRejected(KERNEL.formatted("groupSize = 256", "Warpgroups.decreaseRegisters(ctx, 40);"), 8,
                "Warpgroups.decreaseRegisters needs @Kernel(groupSize = a multiple of 128, minGroupsPerUnit = 1 or more), was 256 and 0");
        assertRejected(KERNEL.formatted("groupSize = 256, minGroupsPerUnit = 1", "int c = 40; Warpgroups.decreaseRegisters(ctx, c);"), 8,
                "decreaseRegisters's count must be an int literal");
        String cuda = assertCompiles(KERNEL.formatted("groupSize = 256, minGroupsPerUnit = 1",
                "if (Warpgroups.index(ctx) == 0) { Warpgroups.decreaseRegisters(ctx, 40); } else { Warpgroups.increaseRegisters(ctx, 232); }"))
                .file("bad/Bad.cu");
        org.junit.jupiter.api.Assertions.assertTrue(cuda.contains("longnet_decrease_registers<40>()") && cuda.contains("longnet_increase_registers<232>()"),
                cuda);
    }
}

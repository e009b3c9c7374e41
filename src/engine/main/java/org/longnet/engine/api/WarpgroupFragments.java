package org.longnet.engine.api;

/**
 * The A fragments of a warpgroup product kept in registers ({@link WarpgroupMma#issueSwizzledFromRegisters}): warp w of a
 * warpgroup holds rows 16w .. 16w + 15 of A's 64, and the work-item of lane 4g + t, for each k-step s of 16 channels, the
 * pairs of {@link KernelContext#mmaBf16PackedA}'s fragment at {@code regs[4s .. 4s + 3]}: rows g and g + 8, channels 16s + 2t
 * and 16s + 2t + 8 (and the next of each).
 */
@DeviceFunctions
public final class WarpgroupFragments {
    /** Registers per work-item of a 64 x 64 A: four k-steps of four. */
    public static final int REGISTERS = 16;

    private WarpgroupFragments() {
    }

    /**
     * This work-item's fragments of rows {@code row .. row + 63} of a tile in swizzled layout ({@link WarpgroupMma#swizzledIndex}),
     * into {@code regs} ({@link #REGISTERS} ints): plain loads from local memory, once per tile, so the products that follow read
     * none.
     */
    public static void fromSwizzled(KernelContext ctx, int[] tile, int row, @Private int[] regs) {
        int lane = ctx.localIdx % 32;
        int top = row + ctx.localIdx / 32 % 4 * 16 + lane / 4;
        int t = lane % 4;
        for (int s = 0; s < 4; s++) {
            regs[4 * s] = tile[WarpgroupMma.swizzledIndex(top, 8 * s + t)];
            regs[4 * s + 1] = tile[WarpgroupMma.swizzledIndex(top + 8, 8 * s + t)];
            regs[4 * s + 2] = tile[WarpgroupMma.swizzledIndex(top, 8 * s + 4 + t)];
            regs[4 * s + 3] = tile[WarpgroupMma.swizzledIndex(top + 8, 8 * s + 4 + t)];
        }
    }
}

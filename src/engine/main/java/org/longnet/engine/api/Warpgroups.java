package org.longnet.engine.api;

/**
 * Warp specialization: a work-group of several warpgroups (128 consecutive work-items of a 1-dimensional group) gives
 * them different roles, typically one producer warpgroup that copies tiles in and consumers that compute on them, and
 * moves registers from the producer to the consumers ({@link #decreaseRegisters}, {@link #increaseRegisters}).
 * <p>
 * On CUDA sm_90a the register calls are {@code setmaxnreg.dec/inc.sync.aligned.u32}: every work-item of a warpgroup
 * calls them together with the same literal count, a multiple of 8 from 24 to 256. The kernel declares
 * {@code @Kernel(groupSize = G, minGroupsPerUnit = M)}, G a multiple of 128 and M at least 1: ptxas honours setmaxnreg
 * only where both launch bounds fix the registers at entry (with G = 384 and M = 1 it gives each work-item 168), and
 * the translator refuses it without them. The counts are the kernel's to balance: the
 * group's registers after the calls must fit what its entry count reserved (one producer at 40 and two consumers at
 * 232 fit 3 x 168), or the increase waits for registers that never come. They change no result, so on other GPUs and
 * on OpenCL and the JVM they do nothing beyond checking the count.
 */
public final class Warpgroups {
    /** Work-items of a warpgroup (four warps). */
    public static final int SIZE = 128;
    /** The register counts setmaxnreg takes: multiples of 8 in this range. */
    public static final int MIN_REGISTERS = 24, MAX_REGISTERS = 256;

    private Warpgroups() {
    }

    /** The work-item's warpgroup in its group, {@code localIdx / 128} (on CUDA made warp-uniform, as the role branches need). */
    public static int index(KernelContext ctx) {
        return ctx.localIdx / SIZE;
    }

    /** The work-item's place in its warpgroup, {@code localIdx % 128}. */
    public static int thread(KernelContext ctx) {
        return ctx.localIdx % SIZE;
    }

    /** Raises the warpgroup's registers per work-item to {@code count} (a literal; see the class comment). */
    public static void increaseRegisters(KernelContext ctx, int count) {
        checkRegisters(count);
    }

    /** Lowers the warpgroup's registers per work-item to {@code count} (a literal; see the class comment). */
    public static void decreaseRegisters(KernelContext ctx, int count) {
        checkRegisters(count);
    }

    private static void checkRegisters(int count) {
        if (count % 8 != 0 || count < MIN_REGISTERS || count > MAX_REGISTERS) {
            throw new IllegalArgumentException("Warpgroups: register count " + count + " is not a multiple of 8 from " + MIN_REGISTERS
                    + " to " + MAX_REGISTERS);
        }
    }
}

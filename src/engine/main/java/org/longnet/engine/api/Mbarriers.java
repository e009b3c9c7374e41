package org.longnet.engine.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Barrier objects with phases in work-group local memory, Hopper's {@code mbarrier}: what a pipeline of copies into a ring of
 * local tiles waits on (a "full" barrier per stage that a {@link Tma} load completes, an "empty" one that the readers of the
 * stage arrive on). A barrier is one element of a {@code long} local array ({@code context.allocateLongLocalArray(n)}),
 * named by the array and its index. {@link #init} gives it the number of arrivals that complete a phase; each phase
 * completes when that many {@link #arrive}s (or {@link #arriveExpectTx}s) have come and, on CUDA, every byte the arrivals
 * announced has landed. Phases alternate parity 0, 1, 0, ...: {@link #wait} with parity {@code p} returns once the phase
 * of parity {@code p} has completed (the first phase has parity 0; the phase of the k-th use of a stage has parity
 * {@code k & 1}).
 * <p>
 * The contract that makes one kernel right on every device: {@link #init} and {@link #wait} are called by every work-item of
 * the group together, as {@link KernelContext#localBarrier} is (not in divergent code), and every arrival and copy that a
 * wait depends on comes before that wait in program order, on some work-item. {@link #arrive} and {@link #arriveExpectTx}
 * may be called by any subset of the work-items (typically {@code if (context.localIdx == 0)}). On CUDA (sm_90) these are
 * the {@code mbarrier.init}, {@code mbarrier.arrive}, {@code mbarrier.arrive.expect_tx} and a
 * {@code mbarrier.try_wait.parity} loop instructions, and a wait returns as soon as its phase completes. On OpenCL and the
 * JVM, where copies are synchronous and work-items cannot spin on each other, the barrier counts arrivals (low 32 bits of
 * its word: arrivals so far; high 32 bits: arrivals per phase) and a wait is a work-group barrier after which the phase
 * must have completed; the JVM checks that and fails a wait that would hang on CUDA. Transaction bytes are counted on CUDA
 * alone (a portable copy has landed when its call returns).
 */
public final class Mbarriers {
    /** The most arrivals a phase may count (the hardware's 20-bit counter). */
    public static final int MAX_ARRIVALS = (1 << 20) - 1;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private Mbarriers() {
    }

    /**
     * Makes {@code barriers[index]} a barrier whose phases complete after {@code arrivals} arrivals (1 to
     * {@link #MAX_ARRIVALS}), at phase 0. Every work-item of the group calls it together; it ends with a barrier of the group,
     * so the barrier is ready for all of them (and, on CUDA, for the copy engine) when it returns.
     */
    public static void init(KernelContext context, long[] barriers, int index, int arrivals) {
        if (arrivals < 1 || arrivals > MAX_ARRIVALS) {
            throw new IllegalArgumentException("Mbarriers.init arrivals: " + arrivals + "; allowed: 1 to " + MAX_ARRIVALS);
        }
        if (WorkItems.linearLocalId(context) == 0) {
            WORD.setVolatile(barriers, index, (long) arrivals << 32);
        }
        context.localBarrier();
    }

    /** This work-item arrives once on {@code barriers[index]}'s current phase. */
    public static void arrive(KernelContext context, long[] barriers, int index) {
        WORD.getAndAdd(barriers, index, 1L);
    }

    /**
     * This work-item arrives once on {@code barriers[index]}'s current phase and announces {@code bytes} (0 to
     * {@link #MAX_ARRIVALS}) that copies will bring before the phase may complete: the bytes of the boxes
     * ({@link TensorMap#boxBytes}) that the {@link Tma#load}s completing on this barrier copy.
     */
    public static void arriveExpectTx(KernelContext context, long[] barriers, int index, int bytes) {
        if (bytes < 0 || bytes > MAX_ARRIVALS) {
            throw new IllegalArgumentException("Mbarriers.arriveExpectTx bytes: " + bytes + "; allowed: 0 to " + MAX_ARRIVALS);
        }
        WORD.getAndAdd(barriers, index, 1L);
    }

    /**
     * Waits until the phase of parity {@code parity} (0 or 1) of {@code barriers[index]} has completed; what the arrivals and
     * copies of that phase wrote to local memory is then visible. Every work-item of the group calls it together.
     *
     * @throws IllegalStateException on the JVM, where the phase has not completed once the group is here (on CUDA it would hang)
     */
    public static void wait(KernelContext context, long[] barriers, int index, int parity) {
        waitTogether(context, barriers, index, parity, "wait");
    }

    /**
     * {@link #wait} before the group's next {@link Tma#load} into a stage that its readers hand back on {@code barriers[index]}
     * (an "empty" barrier): on CUDA only the work-item that issues the copies (the group's first) waits, and its warp
     * reconverges; the others go on at once, so the warps that read a ring of tiles need not keep step with each other
     * (no work-group barrier per stage). On OpenCL and the JVM, whose copies the whole group makes, it is {@link #wait}.
     * Every work-item of the group calls it together, followed by the copies it guards.
     */
    public static void waitBeforeCopy(KernelContext context, long[] barriers, int index, int parity) {
        waitTogether(context, barriers, index, parity, "waitBeforeCopy");
    }

    private static void waitTogether(KernelContext context, long[] barriers, int index, int parity, String method) {
        context.localBarrier();
        long word = (long) WORD.getVolatile(barriers, index);
        long expected = word >>> 32, arrived = word & 0xFFFFFFFFL;
        if (expected == 0) {
            throw new IllegalStateException("Mbarriers." + method + ": barrier " + index + " was never initialised (Mbarriers.init)");
        }
        if ((arrived / expected & 1) == (parity & 1)) {
            throw new IllegalStateException("Mbarriers." + method + ": the phase of parity " + parity + " of barrier " + index + " has not completed "
                    + "when the whole group waits (" + arrived + " arrivals of " + expected + " per phase): every arrival a wait needs "
                    + "must come before the wait; on CUDA this wait would never return");
        }
    }
}

package org.longnet.engine.device.jvm;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * Runs the work-items of one work-group with barriers. Preferred: each item is a continuation
 * on the current thread that yields at a barrier, and the scheduler resumes the items round by
 * round (cheap: no threads, no locks). This needs {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED} (scripts/longnet and the build add it); without it,
 * each item gets a virtual thread and the barrier is a real one (correct, much slower).
 */
final class GroupScheduler {
    private static final ContinuationScope SCOPE = available() ? new ContinuationScope("longnet-work-group") : null;

    private GroupScheduler() {
    }

    static boolean available() {
        return Object.class.getModule().isExported("jdk.internal.vm", GroupScheduler.class.getModule());
    }

    /** Whether barriers on this thread are continuation yields. */
    static boolean usesContinuations() {
        return SCOPE != null;
    }

    /** Runs every item to completion; all must reach each barrier the same number of times. */
    static void run(Runnable[] items) {
        Continuation[] running = new Continuation[items.length];
        for (int i = 0; i < items.length; i++) {
            running[i] = new Continuation(SCOPE, items[i]);
        }
        int done = 0;
        while (done < running.length) {
            int finishedThisRound = 0;
            for (Continuation c : running) {
                if (!c.isDone()) {
                    c.run();
                    if (c.isDone()) {
                        finishedThisRound++;
                    }
                }
            }
            if (finishedThisRound > 0 && finishedThisRound + done < running.length) {
                throw new IllegalStateException("work-items of one group passed different numbers of barriers: "
                        + "a barrier inside a branch that not every item takes");
            }
            done += finishedThisRound;
        }
    }

    /** The barrier of a continuation-scheduled group: hand control back to the scheduler. */
    static void barrier() {
        if (!Continuation.yield(SCOPE)) {
            throw new IllegalStateException("a work-item could not pause at a barrier (pinned by a native frame or monitor)");
        }
    }
}

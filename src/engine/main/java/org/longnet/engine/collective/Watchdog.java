package org.longnet.engine.collective;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends the job when a collective waits too long. A collective blocks until every peer joins it; a
 * peer that died is normally noticed by {@code mpirun}, which ends the job, but a peer that hangs
 * or a launcher that does not watch its processes would leave this rank waiting forever. Each call
 * registers here while it runs; past the timeout the watchdog prints one line naming the call,
 * the rank and the group, and aborts the job.
 * The limit is {@link CollectiveTimeout}.
 */
final class Watchdog {
    private static final Watchdog INSTANCE = new Watchdog();

    private final ConcurrentHashMap<Thread, Call> running = new ConcurrentHashMap<>();
    private final long timeoutNanos;
    private volatile Runnable abort = () -> Runtime.getRuntime().halt(1);

    private record Call(String what, long started) {
    }

    private Watchdog() {
        timeoutNanos = CollectiveTimeout.nanos();
        Thread t = new Thread(this::watch, "collective-watchdog");
        t.setDaemon(true);
        t.start();
    }

    static Watchdog get() {
        return INSTANCE;
    }

    /** How the job is ended (MPI_Abort once MPI is up); the process halts regardless soon after. */
    void onTimeout(Runnable abortJob) {
        this.abort = abortJob;
    }

    /** Marks the start of a blocking call by the current thread; {@link #end} marks its end. */
    void begin(String what) {
        running.put(Thread.currentThread(), new Call(what, System.nanoTime()));
    }

    void end() {
        running.remove(Thread.currentThread());
    }

    /** The calls running now, for the last words of a process that is being ended mid-call. */
    java.util.List<String> running() {
        return running.values().stream().map(Call::what).toList();
    }

    private void watch() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Call c : running.values()) {
                if (now - c.started() > timeoutNanos) {
                    System.err.println("longnet: " + c.what() + " did not finish within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                            + " s: a peer has died or stopped calling it; ending the job (LONGNET_COLLECTIVE_TIMEOUT sets the limit)");
                    System.err.flush();
                    Thread halt = new Thread(() -> {
                        try {
                            Thread.sleep(5000);
                        } catch (InterruptedException ignored) {
                            // halting anyway
                        }
                        Runtime.getRuntime().halt(1);
                    });
                    halt.setDaemon(true);
                    halt.start();
                    abort.run();
                    Runtime.getRuntime().halt(1);
                }
            }
        }
    }
}

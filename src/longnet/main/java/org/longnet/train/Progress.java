package org.longnet.train;

import java.io.PrintStream;

/**
 * Training's progress line: step, loss, tokens/s over the last steps and time left. On a terminal
 * it redraws one line in place; in a log (CI, a file) it prints a line every twentieth of the run
 * instead.
 */
final class Progress {
    /** Steps the rate is averaged over: recent enough to follow changes, long enough to be steady. */
    private static final int WINDOW = 10;
    private final ProgressLine line;
    private final long first, last;
    /** Tokens and busy nanoseconds of the last {@link #WINDOW} steps, the run's first (warm-up) step left out. */
    private final long[] windowTokens = new long[WINDOW], windowNanos = new long[WINDOW];
    private int samples;
    private long firstStepEnd;

    Progress(PrintStream out, long first, long last) {
        this.line = new ProgressLine(out);
        this.first = first;
        this.last = last;
    }

    /** One step done, taking {@code nanos} and covering {@code stepTokens} tokens. */
    void step(long step, double loss, long stepTokens, long nanos) {
        long done = step - first + 1, total = last - first + 1, now = System.nanoTime();
        // The first step also compiles kernels and tunes libraries: it would skew the rate and the ETA for long.
        if (done == 1) {
            firstStepEnd = now;
            windowTokens[0] = stepTokens;
            windowNanos[0] = nanos;
            samples = 1;
        } else {
            int slot = done == 2 ? 0 : samples % WINDOW;
            windowTokens[slot] = stepTokens;
            windowNanos[slot] = nanos;
            samples = done == 2 ? 1 : samples + 1;
        }
        long tokens = 0, busy = 0;
        for (int i = 0; i < Math.min(samples, WINDOW); i++) {
            tokens += windowTokens[i];
            busy += windowNanos[i];
        }
        double rate = tokens / (busy / 1e9);
        // After one step there is no steady pace yet to extrapolate: say so rather than guess from the warm-up.
        String eta = done == total ? ProgressLine.clock(0) : done == 1 ? "after step 2"
                : ProgressLine.clock((now - firstStepEnd) / 1e9 / (done - 1) * (total - done));
        String text = String.format("step %d/%d  loss %.4f (%.3f bits/byte)  %s tok/s  elapsed %s  ETA %s", step, last, loss,
                loss / Math.log(2), human(rate), line.elapsed(), eta);
        line.show(done, total, text, done == 1 || step == last || done % Math.max(1, total / 20) == 0);
        if (step == last) {
            line.end();
        }
    }

    /** A message on its own line, not mixed into the progress bar. */
    void note(String message) {
        line.note(message);
    }

    private static String human(double rate) {
        return rate >= 1e6 ? String.format("%.2fM", rate / 1e6) : rate >= 1e3 ? String.format("%.1fk", rate / 1e3) : String.format("%.0f", rate);
    }
}

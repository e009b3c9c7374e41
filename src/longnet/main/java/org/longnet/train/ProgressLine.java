package org.longnet.train;

import java.io.PrintStream;

/**
 * One line that tells how far long work has come. On a terminal it is redrawn in place behind a
 * bar of how much is done; in a log (CI, a file, a pipe) the states the caller marks as worth
 * keeping are printed one per line, so a log neither floods nor falls silent. Messages printed
 * with {@link #note} stand on lines of their own above it.
 */
public final class ProgressLine {
    /** Redraws closer together than this are skipped (states not marked to keep): a terminal cannot show them anyway. */
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastDraw = Long.MIN_VALUE;
    /** Characters of the line now drawn on the terminal (0: none), so a shorter line or a note can blank the rest. */
    private int drawn;

    /** A line on {@code out}, redrawn in place when this process writes to a terminal. */
    public ProgressLine(PrintStream out) {
        this(out, System.console() != null);
    }

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Shows {@code text}, {@code done} of {@code total} units of work being done. On a terminal it
     * replaces the line shown before (a state not marked {@code keep} only if the last redraw is a
     * tenth of a second old); in a log, states marked {@code keep} are printed and the others dropped.
     */
    public void show(long done, long total, String text, boolean keep) {
        long now = System.nanoTime();
        if (!terminal) {
            if (keep) {
                out.println(text);
                out.flush();
            }
            return;
        }
        if (!keep && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        int filled = (int) Math.max(0, Math.min(BAR_WIDTH, BAR_WIDTH * done / Math.max(1, total)));
        String line = "[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + text;
        out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        out.flush();
        drawn = line.length();
        lastDraw = now;
    }

    /** Leaves the line as last shown and moves on: later output starts on a line of its own. */
    public void end() {
        if (drawn > 0) {
            out.println();
            out.flush();
            drawn = 0;
        }
    }

    /** A message on a line of its own; on a terminal it takes the progress line's place until the next {@link #show}. */
    public void note(String message) {
        if (drawn > 0) {
            int firstLine = message.indexOf('\n') < 0 ? message.length() : message.indexOf('\n');
            out.print("\r" + message.substring(0, firstLine) + " ".repeat(Math.max(0, drawn - firstLine)) + message.substring(firstLine));
            out.println();
            drawn = 0;
        } else {
            out.println(message);
        }
        out.flush();
    }

    /** Time since this line was made, as {@link #clock} writes it. */
    public String elapsed() {
        return clock((System.nanoTime() - started) / 1e9);
    }

    /** Seconds as m:ss, or h:mm:ss from an hour on. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}

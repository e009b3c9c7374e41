package org.longnet.commandline;

/** Checks of option values that fail with one line naming the option, the value and what is allowed. */
public final class Arguments {
    private Arguments() {
    }

    /** {@code value} of {@code option}, refused below {@code min}. */
    public static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
        }
    }
}

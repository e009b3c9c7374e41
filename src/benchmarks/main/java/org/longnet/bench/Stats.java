package org.longnet.bench;

import java.util.Arrays;

/** Medians of repeated timings. */
public final class Stats {
    private Stats() {
    }

    public static double median(long[] samples) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}

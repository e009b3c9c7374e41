package org.longnet.attention;

/** One (segment length w, dilation rate r) pattern of dilated attention. */
public record DilatedPair(int segmentLength, int dilationRate) {
    public DilatedPair {
        if (segmentLength < 1) {
            throw new IllegalArgumentException("segment length must be >= 1, was " + segmentLength);
        }
        if (dilationRate < 1 || dilationRate > segmentLength) {
            throw new IllegalArgumentException("dilation rate must be in 1..segment length (" + segmentLength + "), was "
                    + dilationRate);
        }
    }

    @Override
    public String toString() {
        return "(w=" + segmentLength + ", r=" + dilationRate + ")";
    }

    /** The segment length actually used for a sequence of n tokens: w is capped at n (spec §1.1). */
    public int effectiveLength(int n) {
        return Math.min(segmentLength, n);
    }
}

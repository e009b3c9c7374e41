package org.longnet.attention;

/**
 * The seed project's module: one (segment size, dilation rate) pattern over multi-head
 * attention, {@code new DilatedAttention(512, 8, 2, 64)}. Non-causal, no positions, like the
 * seed's README example; {@link MultiheadDilatedAttention} is the paper's multi-pattern form.
 */
public final class DilatedAttention extends MultiheadDilatedAttention {
    public DilatedAttention(int dModel, int numHeads, int dilationRate, int segmentSize) {
        super(dModel, numHeads, new int[] {segmentSize}, new int[] {dilationRate}, false, Positions.NONE, 0);
    }
}

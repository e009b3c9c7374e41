package org.longnet.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mixture of patterns of one dilated-attention layer. Segment lengths strictly increase
 * (the paper's w_0 < w_1 < ...); a rate may leave a remainder in its segment (r ∤ w), as the
 * paper's own configuration does.
 */
public record DilatedAttentionConfig(List<DilatedPair> pairs, boolean causal) {
    public DilatedAttentionConfig {
        if (pairs == null || pairs.isEmpty()) {
            throw new IllegalArgumentException("dilated attention needs at least one (segment length, dilation rate) pair");
        }
        for (int i = 1; i < pairs.size(); i++) {
            if (pairs.get(i).segmentLength() <= pairs.get(i - 1).segmentLength()) {
                throw new IllegalArgumentException("segment lengths must strictly increase, but " + pairs.get(i).segmentLength()
                        + " follows " + pairs.get(i - 1).segmentLength());
            }
        }
        pairs = List.copyOf(pairs);
    }

    public static DilatedAttentionConfig of(int[] segmentLengths, int[] dilationRates, boolean causal) {
        if (segmentLengths.length != dilationRates.length) {
            throw new IllegalArgumentException("segment lengths " + Arrays.toString(segmentLengths) + " and dilation rates "
                    + Arrays.toString(dilationRates) + " must have the same count");
        }
        List<DilatedPair> pairs = new ArrayList<>();
        for (int i = 0; i < segmentLengths.length; i++) {
            pairs.add(new DilatedPair(segmentLengths[i], dilationRates[i]));
        }
        return new DilatedAttentionConfig(pairs, causal);
    }

    /** The paper's configuration: w = 2048..32768, r = 1, 2, 4, 6, 12. */
    public static DilatedAttentionConfig paper(boolean causal) {
        return of(new int[] {2048, 4096, 8192, 16384, 32768}, new int[] {1, 2, 4, 6, 12}, causal);
    }

    /**
     * Whether the first pair has dilation 1, so that every row is in one of its blocks: on matrix units it then writes the
     * output and the gradients where the other pairs merge or add, with no reset pass before it.
     */
    public boolean firstPairCoversEveryRow() {
        return pairs.get(0).dilationRate() == 1;
    }

    /**
     * Forward attention-core FLOPs for n tokens and model width d (spec §4): 4·n·d·Σ w_i/r_i²
     * with w capped at n, halved when causal.
     */
    public double flops(long n, long d) {
        double sum = 0;
        for (DilatedPair p : pairs) {
            double w = Math.min(p.segmentLength(), n);
            sum += w / ((double) p.dilationRate() * p.dilationRate());
        }
        return 4.0 * n * d * sum * (causal ? 0.5 : 1.0);
    }
}

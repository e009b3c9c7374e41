package org.longnet.attention;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether the TMA-fed backward ({@link TmaBackward}) gives each of a block's heaviest key tiles two work-groups, each taking
 * half of the tile's query windows. Under a causal mask key tile t of a block sees the queries from its own first row on, so
 * tile 0 has about twice the average tile's work; in a launch of one or two waves (a short sequence, or a pair of long
 * segments and high dilation, at 32K: the base preset's last two pairs) the launch lasts as long as its first tiles. Split, the
 * first ceil(T / 2) tiles of a block's T become two groups each, and the launch runs them slot by slot over the blocks, each
 * block's slots in about decreasing order of work (the halves of tile i, then the whole tile ceil(T / 2) + i:
 * {@link AttentionBlocks#splitSlotOf}, {@link AttentionBlocks#splitTileOf}), so that every block's heaviest parts start
 * first. Both halves add their dK and dV where the memory is, as every pair but a first one that writes them does already, so
 * a pair that writes them is never split; dQ is added per window either way. The sums are the same up to their order of
 * additions.
 * <p>
 * {@code -Dlongnet.attention.split}: {@code auto} (the default: the pairs whose launch is at most {@link #waves} waves of the
 * device's places; a core given no device splits none), {@code never} or {@code always} (every causal pair that adds its
 * gradients; slower where a launch is long enough to balance itself, and what the tests run).
 */
enum KeyTileSplit {
    NEVER, ALWAYS, AUTO;

    /** The system property that selects it. */
    static final String PROPERTY = "longnet.attention.split";
    /** The system property that sets the longest launch {@link #AUTO} splits, in waves of the device's places (a lab switch). */
    static final String WAVES_PROPERTY = "longnet.attention.splitWaves";

    /** The setting {@link #PROPERTY} names; auto when it is not set, and anything else is refused. */
    static KeyTileSplit selected() {
        String name = System.getProperty(PROPERTY, "auto");
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + " is not a setting; use one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
        }
    }

    /**
     * The longest launch that {@link #AUTO} splits, in waves of the device's places: {@link #WAVES_PROPERTY}, default 2 (at 32K
     * the base preset's two- and one-wave launches gain; splitting its launches of three and six waves too lost, benchmarks/RESULTS.md).
     */
    static int waves() {
        String value = System.getProperty(WAVES_PROPERTY, "2");
        try {
            int waves = Integer.parseInt(value.trim());
            if (waves >= 1) {
                return waves;
            }
        } catch (NumberFormatException e) {
            // refused below, with the same line as a number under 1
        }
        throw new IllegalArgumentException("-D" + WAVES_PROPERTY + "=" + value + " is not a number of waves; give a whole number of at least 1");
    }

    /**
     * The key tiles of each block to split for pair {@code p}'s TMA-fed backward (0: none): ceil(T / 2) of the T tiles of its
     * largest block where this setting splits a causal pair that adds its gradients ({@code first} 0), given {@code places},
     * the groups the device runs at once (0 where it is not known: {@link #AUTO} then splits nothing).
     */
    int tiles(AttentionShape shape, DilatedPair p, int causal, int first, long places) {
        if (this == NEVER || causal != 1 || first != 0) {
            return 0;
        }
        int tiles = AttentionBlocks.keyTiles(p.effectiveLength(shape.seqLen()), p.dilationRate(), AttentionTiles.MMA_KV_KEYS);
        if (this == AUTO) {
            long groups = AttentionGrids.pair(shape, p, AttentionTiles.MMA_KV_KEYS, 1).global()[0];
            if (places <= 0 || groups > waves() * places) {
                return 0;
            }
        }
        return (tiles + 1) / 2;
    }
}

package org.longnet.attention;

import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.SingleRank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sequence of {@code length} tokens split into equal contiguous chunks across the ranks of a
 * group: rank d holds positions {@code [d l, (d + 1) l)}, l = length / ranks. Dilated attention then
 * runs each pair where its segments are (LongNet's sequence parallelism): a pair whose segments fit
 * in a chunk ({@code W <= l}, W = min(w, N)) needs no communication; a pair whose segments span
 * several chunks gathers the selected keys and values of its segment's ranks.
 * <p>
 * Preconditions on several ranks, checked before any work by {@link #check}: the ranks divide the length; for every
 * pair, a segment within a chunk divides it ({@code l mod W = 0}) and a segment over several chunks
 * is a whole number of them ({@code W mod l = 0}). The dilation need not divide l: the ranks of a
 * segment then send different numbers of rows (a variable-size gather).
 */
public final class SequenceSplit {
    private final Communicator group;
    private final int length;
    /** The group of each segment length's segments that span several chunks, made once (a split is collective). */
    private final Map<Integer, Communicator> segmentGroups = new HashMap<>();

    public SequenceSplit(Communicator group, int length) {
        this.group = group;
        this.length = length;
        if (length < 1) {
            throw new IllegalArgumentException("sequence length must be >= 1, was " + length);
        }
        if (length % group.size() != 0) {
            throw new IllegalArgumentException("sequence length " + length + " must be a multiple of the " + group.size()
                    + " ranks it is split across (each holds length / ranks tokens); "
                    + nearestMultiples(length, group.size()) + " would be");
        }
    }

    public Communicator group() {
        return group;
    }

    /** Tokens of the whole sequence. */
    public int length() {
        return length;
    }

    /**
     * The ranks that hold this rank's segment of length {@code segment} (a multiple of the chunk), in
     * sequence order. Collective: every rank asks for the same segment lengths in the same order.
     */
    public synchronized Communicator segmentGroup(int segment) {
        return segmentGroups.computeIfAbsent(segment, w -> group.split(rank() / (w / chunk()), rank()));
    }

    /** The whole sequence on this process alone. */
    public static SequenceSplit single(int length) {
        return new SequenceSplit(new SingleRank(), length);
    }

    public int ranks() {
        return group.size();
    }

    public int rank() {
        return group.rank();
    }

    /** Tokens per rank. */
    public int chunk() {
        return length / ranks();
    }

    /** The position of this rank's first token in the sequence. */
    public int offset() {
        return rank() * chunk();
    }

    /** Whether the pair's segments fit in one chunk (no communication). */
    public boolean local(DilatedPair p) {
        return p.effectiveLength(length) <= chunk();
    }

    /**
     * Refuses a configuration this split cannot run, with one line that says which pair fails and
     * which sequence lengths would work.
     */
    public void check(DilatedAttentionConfig config) {
        if (ranks() == 1) {
            return; // one rank holds every segment whole, padded at the end as on one device
        }
        for (DilatedPair p : config.pairs()) {
            int segment = p.effectiveLength(length);
            boolean fits = segment <= chunk() ? chunk() % segment == 0 : segment % chunk() == 0;
            if (!fits) {
                throw new IllegalArgumentException("pair " + p + " cannot be split across " + ranks() + " ranks at sequence length " + length
                        + ": each rank holds " + chunk() + " tokens, and a segment must divide that or be a whole number of such chunks; "
                        + workingLengths(config));
            }
        }
    }

    /** Sequence lengths near this one that every pair and this many ranks accept (chunks from 1 to 4 times this one's). */
    private String workingLengths(DilatedAttentionConfig config) {
        List<Long> found = new ArrayList<>();
        for (long l = chunk() - 1; l >= 1 && found.size() < 2; l--) {
            if (accepts(config, l)) {
                found.add(0, l * ranks());
            }
        }
        for (long l = chunk() + 1; l <= 4L * chunk() && l * ranks() <= Integer.MAX_VALUE && found.size() < 4; l++) {
            if (accepts(config, l)) {
                found.add(l * ranks());
            }
        }
        return found.isEmpty() ? "no nearby sequence length works with " + ranks() + " ranks; change the segment lengths"
                : "sequence lengths that work with " + ranks() + " ranks: " + found;
    }

    private boolean accepts(DilatedAttentionConfig config, long l) {
        for (DilatedPair p : config.pairs()) {
            long segment = Math.min(p.segmentLength(), l * ranks());
            if (segment <= l ? l % segment != 0 : segment % l != 0) {
                return false;
            }
        }
        return true;
    }

    private static String nearestMultiples(int length, int ranks) {
        int below = length / ranks * ranks;
        return below == 0 ? Integer.toString(ranks) : below + " or " + (below + ranks);
    }
}

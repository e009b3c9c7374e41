package org.longnet.train;

import org.longnet.data.BlockwiseWindows;
import org.longnet.data.ByteDataset;
import org.longnet.engine.api.IntArray;
import org.longnet.model.CrossEntropyKernels;
import org.longnet.model.LongNetModel;

/**
 * A text model's loss on held-out text at one context length, as {@code longnet eval} measures it (the paper's Table 2).
 * The text comes in stretches of a fixed number of bytes, the same stretches at every length, so the lengths differ only
 * in the context each byte has. A stretch is cut into windows of the length, run as one batch. A length beyond the one the
 * model was trained on is read in one of two ways ({@link Reading}).
 */
public final class ContextLoss {
    /** How a length beyond the trained one is read. */
    public enum Reading {
        /** In whole windows of the length: the model attends over more than it was trained on, and extrapolates. */
        FULL,
        /** Blockwise ({@link BlockwiseWindows}): windows of the trained length, half a window apart, as the paper evaluates such lengths. */
        BLOCKWISE
    }

    private final LongNetModel model;
    private final ByteDataset data;
    private final int length;
    private final int pieces;
    private final BlockwiseWindows blockwise;
    private final int seqLen;
    private final int batch;
    private final IntArray inputs;
    private final IntArray targets;

    /**
     * The loss at {@code length} bytes of context over stretches of {@code stretch} bytes (a multiple of the length) of
     * {@code data}'s held-out part, for a model trained on {@code trained}-byte sequences; {@code reading} says how a
     * longer length is read. Each run of the model holds at most as many tokens as a stretch (at least one window).
     */
    public ContextLoss(LongNetModel model, ByteDataset data, int length, int stretch, int trained, Reading reading) {
        if (length < 2 || stretch % length != 0) {
            throw new IllegalArgumentException("a context length of at least 2 that divides the stretch, was " + length + " of " + stretch);
        }
        this.model = model;
        this.data = data;
        this.length = length;
        this.pieces = stretch / length;
        this.blockwise = reading == Reading.BLOCKWISE && length > trained ? new BlockwiseWindows(length, trained) : null;
        this.seqLen = blockwise == null ? length : trained;
        this.batch = blockwise == null ? pieces : Math.max(1, Math.min(stretch / trained, pieces * blockwise.count()));
        this.inputs = new IntArray((long) batch * seqLen);
        this.targets = new IntArray((long) batch * seqLen);
    }

    /** Whether this length is read blockwise. */
    public boolean blockwise() {
        return blockwise != null;
    }

    /** The windows the model runs on per stretch: those of the length, or blockwise those of the trained length. */
    public int windowsPerStretch() {
        return blockwise == null ? pieces : pieces * blockwise.count();
    }

    /** Mean nats per byte over the stretch that starts {@code offset} bytes into the held-out text. */
    public double stretch(long offset) {
        if (blockwise == null) {
            data.validationWindows(inputs, targets, pieces, length, offset);
            return model.loss(inputs, targets, pieces, length);
        }
        int total = windowsPerStretch();
        double nats = 0;
        for (int first = 0; first < total; first += batch) {
            long scored = 0;
            for (int i = 0; i < batch; i++) {
                long at = (long) i * seqLen;
                int w = first + i;
                if (w >= total) { // the last run's spare windows: no loss
                    for (int t = 0; t < seqLen; t++) {
                        inputs.set(at + t, 0);
                        targets.set(at + t, CrossEntropyKernels.IGNORED);
                    }
                    continue;
                }
                int piece = w / blockwise.count(), k = w % blockwise.count();
                data.validationWindow(inputs, targets, at, seqLen, offset + (long) piece * length + blockwise.start(k));
                int from = blockwise.scoredFrom(k);
                for (int t = 0; t < from; t++) {
                    targets.set(at + t, CrossEntropyKernels.IGNORED);
                }
                scored += seqLen - from;
            }
            nats += model.loss(inputs, targets, batch, seqLen) * scored;
        }
        return nats / ((long) pieces * length);
    }
}

package org.longnet.data;

import org.longnet.engine.api.IntArray;

/** Where training batches come from: windows of a text, or a synthetic task. Batches depend only on (seed, step). */
public interface TrainingData {
    /** Refuses, before any work, a sequence length this data cannot fill. */
    void checkWindow(int seqLen);

    /**
     * Fills {@code inputs} and {@code targets} ({@code batch * seqLen} each, targets one byte
     * ahead; a negative target has no loss) for {@code step}, or validation batch {@code step}.
     */
    void batch(IntArray inputs, IntArray targets, int batch, int seqLen, long step, long seed, boolean validation);

    /** One line for the console: what the data is and how much of it there is. */
    String describe();

    /** The size and hash of a text, kept in checkpoints to check a resumed run's text; none for synthetic data. */
    default TextFingerprint fingerprint() {
        return null;
    }
}

package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * Softmax cross-entropy over a vocabulary, forward and backward in one pass (as llm.c fuses
 * them): per row, loss = logsumexp(logits) - logits[target], and the gradient of the mean loss
 * over the counted rows, dlogits = (softmax - onehot(target)) * scale[0] with scale[0] = 1 / that
 * count, overwrites the logits. A row whose target is {@link #IGNORED} (any negative target)
 * counts for nothing: loss 0, gradient 0; tasks such as pass-key retrieval learn only their answers.
 */
public final class CrossEntropyKernels {
    /** The target of a position that has no loss. */
    public static final int IGNORED = -1;

    private CrossEntropyKernels() {
    }

    @Kernel
    public static void forwardBackward(FloatArray logits, IntArray targets, FloatArray losses, int vocab, FloatArray scale) {
        for (@Parallel long row = 0; row < targets.getSize(); row++) {
            long base = row * vocab;
            int target = targets.get(row);
            if (target < 0) {
                losses.set(row, 0f);
                for (int v = 0; v < vocab; v++) {
                    logits.set(base + v, 0f);
                }
            } else {
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = KernelMath.max(max, logits.get(base + v));
                }
                float sum = 0f;
                for (int v = 0; v < vocab; v++) {
                    sum += KernelMath.exp(logits.get(base + v) - max);
                }
                float logSum = max + KernelMath.log(sum);
                losses.set(row, logSum - logits.get(base + target));
                float s = scale.get(0);
                for (int v = 0; v < vocab; v++) {
                    float p = KernelMath.exp(logits.get(base + v) - logSum);
                    logits.set(base + v, (p - (v == target ? 1f : 0f)) * s);
                }
            }
        }
    }
}

package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * Softmax cross-entropy over a vocabulary, forward and backward in one pass (as llm.c fuses
 * them): per row, loss = logsumexp(logits) - logits[target], and the gradient of the mean loss
 * over all rows, dlogits = (softmax - onehot(target)) / rows, overwrites the logits.
 */
public final class CrossEntropyKernels {
    private CrossEntropyKernels() {
    }

    @Kernel
    public static void forwardBackward(FloatArray logits, IntArray targets, FloatArray losses, int vocab) {
        for (@Parallel long row = 0; row < targets.getSize(); row++) {
            long base = row * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = KernelMath.max(max, logits.get(base + v));
            }
            float sum = 0f;
            for (int v = 0; v < vocab; v++) {
                sum += KernelMath.exp(logits.get(base + v) - max);
            }
            float logSum = max + KernelMath.log(sum);
            int target = targets.get(row);
            losses.set(row, logSum - logits.get(base + target));
            float rows = targets.getSize();
            for (int v = 0; v < vocab; v++) {
                float p = KernelMath.exp(logits.get(base + v) - logSum);
                logits.set(base + v, (p - (v == target ? 1f : 0f)) / rows);
            }
        }
    }
}

package org.longnet.train;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.model.LongNetModel;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Byte-by-byte sampling from a model: each new byte runs the model over the last {@code window}
 * bytes (causal attention makes the positions after the text irrelevant, so the window is padded)
 * and samples the next byte from the logits at the text's end, with temperature and top-k.
 */
public final class Generator {
    private final LongNetModel model;
    private final int window;
    private final IntArray tokens;

    public Generator(LongNetModel model, int window) {
        if (window < 2) {
            throw new IllegalArgumentException("the context window must be >= 2 bytes, was " + window);
        }
        this.model = model;
        this.window = window;
        this.tokens = new IntArray(window);
    }

    /**
     * Samples {@code length} bytes that continue {@code prompt}, passing each to {@code onByte} as it comes.
     * Only the last {@code window} bytes are kept, so any length runs in the same memory. Temperature 0 means greedy.
     */
    public void generate(byte[] prompt, int length, double temperature, int topK, long seed, IntConsumer onByte) {
        check(length, temperature, topK);
        int vocab = model.weights().config().vocab();
        byte[] start = prompt.length == 0 ? new byte[] {'\n'} : prompt;
        byte[] context = new byte[window]; // the text's last n bytes, oldest first
        int n = Math.min(window, start.length);
        System.arraycopy(start, start.length - n, context, 0, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            tokens.fill(0);
            for (int t = 0; t < n; t++) {
                tokens.set(t, context[t] & 0xFF);
            }
            FloatArray logits = model.logits(tokens, 1, window);
            int next = sample(logits, (long) (n - 1) * vocab, vocab, temperature, topK, random);
            if (n == window) {
                System.arraycopy(context, 1, context, 0, window - 1);
                n--;
            }
            context[n++] = (byte) next;
            onByte.accept(next);
        }
    }

    /** Refuses bad sampling settings, before anything is printed. */
    public void check(int length, double temperature, int topK) {
        check(length, temperature, topK, model.weights().config().vocab());
    }

    /** Refuses bad sampling settings for a model of {@code vocab} tokens, before any model is made. */
    public static void check(int length, double temperature, int topK, int vocab) {
        if (length < 0) {
            throw new IllegalArgumentException("--length must be >= 0, was " + length);
        }
        if (!(temperature >= 0) || temperature > 100) {
            throw new IllegalArgumentException("--temperature must be between 0 and 100, was " + temperature);
        }
        if (topK < 1 || topK > vocab) {
            throw new IllegalArgumentException("--top-k must be between 1 and " + vocab + ", was " + topK);
        }
    }

    static int sample(FloatArray logits, long offset, int vocab, double temperature, int topK, SplittableRandom random) {
        double[] l = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            l[v] = logits.get(offset + v);
        }
        if (temperature == 0) {
            return argmax(l);
        }
        double[] sorted = l.clone();
        Arrays.sort(sorted);
        double cutoff = sorted[vocab - topK], max = sorted[vocab - 1], sum = 0;
        double[] p = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            p[v] = l[v] >= cutoff ? Math.exp((l[v] - max) / temperature) : 0;
            sum += p[v];
        }
        double u = random.nextDouble() * sum;
        for (int v = 0; v < vocab; v++) {
            u -= p[v];
            if (u <= 0 && p[v] > 0) {
                return v;
            }
        }
        return argmax(p); // rounding left u a hair above 0: the likeliest byte
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int v = 1; v < p.length; v++) {
            best = p[v] > p[best] ? v : best;
        }
        return best;
    }
}

package org.longnet.model;

import org.longnet.engine.device.SystemMemory;

/**
 * The memory a model's parameters take, computed exactly from its config before any of it is allocated,
 * so a config too large (by mistake, or read from a damaged file) is refused in one line instead of
 * overflowing or being killed by the system when its pages are touched.
 */
public final class ModelMemory {
    /** Each parameter's value, gradient and AdamW's two moments: four fp32 numbers. */
    public static final long BYTES_PER_PARAMETER = 4L * Float.BYTES;

    private ModelMemory() {
    }

    /** The parameters {@link ModelWeights} lays out for {@code config}; refuses a count that overflows a long. */
    public static long parameters(ModelConfig config, String source) {
        try {
            long d = config.dModel(), f = config.ffn(), v = config.vocab();
            long attention = Math.multiplyExact(4, Math.addExact(Math.multiplyExact(d, d), d));
            long ffn = Math.addExact(Math.multiplyExact(2, Math.multiplyExact(d, f)), f + d);
            long linears = Math.addExact(attention, ffn);
            long norms = 2 * (3 * d + f);
            long layers = Math.multiplyExact(config.layers(), Math.addExact(linears, norms));
            long embedding = Math.multiplyExact(v, d);
            return Math.addExact(Math.addExact(layers, 2 * d), config.tiedEmbeddings() ? embedding : 2 * embedding);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(String.format("%s: a model of %d layers, d_model %d, ffn %d and vocab %d has more "
                    + "parameters than can be counted", source, config.layers(), config.dModel(), config.ffn(), config.vocab()));
        }
    }

    /** Bytes of every parameter with its gradient and moments ({@link #BYTES_PER_PARAMETER} each). */
    public static long bytes(ModelConfig config, String source) {
        long n = parameters(config, source);
        if (n > Long.MAX_VALUE / BYTES_PER_PARAMETER) {
            throw new IllegalArgumentException(source + ": a model of " + n + " parameters has more bytes than can be counted");
        }
        return n * BYTES_PER_PARAMETER;
    }

    /**
     * Refuses, before anything is allocated, a model whose parameters (with their gradients and moments) the
     * host cannot hold; {@code source} names where the shape came from (a config file, a preset).
     */
    public static void checkHost(ModelConfig config, String source) {
        long need = bytes(config, source), available = SystemMemory.available();
        if (need > available) {
            throw new IllegalArgumentException(String.format("%s: a model of %,d parameters needs %s for its weights, gradients "
                            + "and optimizer moments, and this machine has %s available", source, parameters(config, source),
                    gib(need), gib(available)));
        }
    }

    /**
     * The most tokens per step (per rank) a model of {@code config} takes with {@code options}, as {@link LongNetModel}
     * requires: its widest activation (tokens x max(vocab, dModel)) and its feed-forward activation (rows x ffn,
     * where rows are the tokens or, with chunks, at most a chunk of them) must stay below 2^31 elements.
     */
    public static long maxTokens(ModelConfig config, LongNetModel.Options options) {
        long widest = Integer.MAX_VALUE / Math.max(config.vocab(), config.dModel());
        long chunk = options.ffnChunk() > 0 ? options.ffnChunk() : options.recompute() ? LongNetModel.Options.DEFAULT_FFN_CHUNK : 0;
        long ffn = chunk > 0 && chunk * config.ffn() <= Integer.MAX_VALUE ? Long.MAX_VALUE : Integer.MAX_VALUE / config.ffn();
        return Math.min(widest, ffn);
    }

    /** Bytes as GiB for messages: "3.25 GiB". */
    public static String gib(long bytes) {
        return String.format("%,.2f GiB", bytes / 1073741824.0);
    }
}

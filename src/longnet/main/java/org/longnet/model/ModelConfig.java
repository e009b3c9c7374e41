package org.longnet.model;

import org.longnet.attention.DilatedAttentionConfig;
import org.longnet.attention.Positions;
import org.longnet.io.AtomicFiles;
import org.longnet.io.CorruptCheckpointException;
import org.longnet.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a LongNet language model (spec §6): decoder-only, Sub-LN blocks, dilated attention
 * with the given (segment length, dilation) pairs, GELU feed-forward, byte vocabulary. Saved as
 * {@code config.json} beside the safetensors weights, so other tools can read both.
 */
public record ModelConfig(int layers, int dModel, int heads, int ffn, int vocab, int[] segmentLengths, int[] dilationRates,
                          Positions positions, float rotaryBase, boolean tiedEmbeddings) {
    public ModelConfig {
        positive("layers", layers);
        positive("dModel", dModel);
        positive("heads", heads);
        positive("ffn", ffn);
        positive("vocab", vocab);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel (" + dModel + ") must be a multiple of heads (" + heads + ")");
        }
        DilatedAttentionConfig.of(segmentLengths, dilationRates, true); // validates the pairs
        if (!(rotaryBase > 1f) || Float.isInfinite(rotaryBase)) {
            throw new IllegalArgumentException("rotaryBase must be a finite number > 1, was " + rotaryBase);
        }
        segmentLengths = segmentLengths.clone();
        dilationRates = dilationRates.clone();
    }

    /** With the usual rotary base, 10,000. */
    public ModelConfig(int layers, int dModel, int heads, int ffn, int vocab, int[] segmentLengths, int[] dilationRates,
                       Positions positions, boolean tiedEmbeddings) {
        this(layers, dModel, heads, ffn, vocab, segmentLengths, dilationRates, positions, Positions.DEFAULT_ROTARY_BASE, tiedEmbeddings);
    }

    /** The same model with other attention pairs, positions or rotary base. */
    public ModelConfig withAttention(int[] segmentLengths, int[] dilationRates, Positions positions, float rotaryBase) {
        return new ModelConfig(layers, dModel, heads, ffn, vocab, segmentLengths, dilationRates, positions, rotaryBase, tiedEmbeddings);
    }

    /** For a 2-core CPU: trains visibly within minutes. */
    public static ModelConfig tiny() {
        return new ModelConfig(2, 64, 4, 256, 256, new int[] {64, 128, 256}, new int[] {1, 2, 4}, Positions.ROTARY, true);
    }

    /** The paper's base size: 12 layers, 768 wide, 12 heads, FFN 3072, its segment lengths and dilations. */
    public static ModelConfig base() {
        return new ModelConfig(12, 768, 12, 3072, 256, new int[] {2048, 4096, 8192, 16384, 32768}, new int[] {1, 2, 4, 6, 12},
                Positions.XPOS, true);
    }

    /**
     * For pass-key retrieval over 64K tokens: 6 layers, 384 wide, heads of 64 (matrix units on
     * cuda), and a last segment of 131,072 that covers the whole sequence, so the question can see
     * the key at any distance; its dilation 6 equals the head count, so the heads' offsets cover every position.
     * <p>
     * Rotary base 10^7 instead of 10^4: a head finds the key by content only if its query-key
     * product stays the same across distances, i.e. on channel pairs that hardly turn over the
     * distance. With base 10^4 and heads of 64 even the slowest pair turns 8.7 radians over 64K
     * (its wavelength is 47K tokens), so no channel matches alike at 8K and at 64K; with 10^7
     * eight of the 32 pairs turn less than half a radian over 64K, while the fastest still tell
     * neighbouring tokens apart. (Long-context models raise the base for the same reason.)
     */
    public static ModelConfig passkey() {
        return new ModelConfig(6, 384, 6, 1536, 256, new int[] {2048, 8192, 32768, 131072}, new int[] {1, 2, 4, 6},
                Positions.ROTARY, 1e7f, true);
    }

    public static ModelConfig preset(String name) {
        return switch (name) {
            case "tiny" -> tiny();
            case "base" -> base();
            case "passkey" -> passkey();
            default -> throw new IllegalArgumentException("--preset " + name + " is not a preset; use tiny, base or passkey");
        };
    }

    /** Parameters outside the embedding: per layer 4 d² + 2 d·ffn weights, biases, and two LayerNorms plus the Sub-LN ones. */
    public long nonEmbeddingParameters() {
        long perLayer = 4L * dModel * dModel + 4L * dModel + 2L * dModel * ffn + ffn + dModel + 2L * 2 * dModel + 2L * dModel + 2L * ffn;
        return layers * perLayer + 2L * dModel;
    }

    public DilatedAttentionConfig attention() {
        return DilatedAttentionConfig.of(segmentLengths, dilationRates, true);
    }

    public void save(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architecture", "longnet-decoder");
        json.put("layers", layers);
        json.put("d_model", dModel);
        json.put("heads", heads);
        json.put("ffn", ffn);
        json.put("vocab", vocab);
        json.put("segment_lengths", ints(segmentLengths));
        json.put("dilation_rates", ints(dilationRates));
        json.put("positions", positions.name().toLowerCase());
        json.put("rotary_base", (double) rotaryBase);
        json.put("tied_embeddings", tiedEmbeddings);
        byte[] bytes = (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, channel -> channel.write(ByteBuffer.wrap(bytes)));
    }

    /** Largest config.json this reader takes: a config is a few hundred bytes. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    /**
     * The config in {@code file}; a missing, oversized or malformed file, or a value outside what a model can
     * have, is refused in one line that names the file and the field.
     */
    public static ModelConfig load(Path file) throws IOException {
        Object parsed = Json.read(file, MAX_CONFIG_BYTES);
        if (!(parsed instanceof Map<?, ?> m) || !"longnet-decoder".equals(m.get("architecture"))) {
            throw new CorruptCheckpointException("config " + file + " is not a LongNet model config (architecture must be longnet-decoder)");
        }
        try {
            return new ModelConfig(integer(m, "layers"), integer(m, "d_model"), integer(m, "heads"), integer(m, "ffn"),
                    integer(m, "vocab"), intArray(m, "segment_lengths"), intArray(m, "dilation_rates"),
                    positions(m), rotaryBase(m), Boolean.TRUE.equals(m.get("tied_embeddings")));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CorruptCheckpointException("config " + file + ": " + e.getMessage());
        }
    }

    private static Positions positions(Map<?, ?> m) {
        String name = String.valueOf(m.get("positions"));
        for (Positions p : Positions.values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("positions must be one of " + java.util.Arrays.toString(Positions.values()).toLowerCase()
                + ", was " + name);
    }

    /** Configs written before the base was configurable used 10,000. */
    private static float rotaryBase(Map<?, ?> m) {
        Object v = m.get("rotary_base");
        if (v == null) {
            return Positions.DEFAULT_ROTARY_BASE;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("rotary_base must be a number, was " + v);
        }
        return n.floatValue();
    }

    private static int integer(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Long v)) {
            throw new IllegalArgumentException(key + " must be an integer, was " + m.get(key));
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(key + " must be at most " + Integer.MAX_VALUE + ", was " + v);
        }
        return v.intValue();
    }

    private static int[] intArray(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException(key + " must be a list of integers, was " + m.get(key));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new IllegalArgumentException(key + " must be a list of integers up to " + Integer.MAX_VALUE + ", was " + list);
            }
            out[i] = v.intValue();
        }
        return out;
    }

    private static List<Object> ints(int[] values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.layers == layers && c.dModel == dModel && c.heads == heads && c.ffn == ffn
                && c.vocab == vocab && java.util.Arrays.equals(c.segmentLengths, segmentLengths)
                && java.util.Arrays.equals(c.dilationRates, dilationRates) && c.positions == positions && c.rotaryBase == rotaryBase
                && c.tiedEmbeddings == tiedEmbeddings;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(layers, dModel, heads, ffn, vocab, java.util.Arrays.hashCode(segmentLengths),
                java.util.Arrays.hashCode(dilationRates), positions, rotaryBase, tiedEmbeddings);
    }
}

package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.io.CorruptCheckpointException;
import org.longnet.io.SafeTensors;
import org.longnet.io.SafeTensorsReader;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Every parameter of a LongNet decoder, named as in its safetensors file, in one fixed order.
 * Matrices are stored {@code [in][out]} (y = x W). Initialisation follows torchscale's MAGNETO
 * recipe (spec §6): Xavier-uniform projections, with W1, W2, Wo and Wv scaled by sqrt(ln(2 layers)).
 */
public final class ModelWeights {
    /** The weights of one decoder block. */
    record Block(LayerNorm attnNorm, Linear q, Linear k, Linear v, LayerNorm attnInnerNorm, Linear out,
                 LayerNorm ffnNorm, Linear fc1, LayerNorm ffnInnerNorm, Linear fc2) {
    }

    private final ModelConfig config;
    private final List<Parameter> all = new ArrayList<>();
    final Parameter embedding;
    final List<Block> blocks = new ArrayList<>();
    final LayerNorm finalNorm;
    /** Null when the head is tied to the embedding. */
    final Parameter head;

    public ModelWeights(ModelConfig config, long seed) {
        this(config);
        initialise(new SplittableRandom(seed));
    }

    /** Zero weights of {@code config}'s shape, to be loaded: no page of them is touched until then. */
    private ModelWeights(ModelConfig config) {
        this.config = config;
        int d = config.dModel(), f = config.ffn();
        embedding = add("embedding.weight", config.vocab(), d);
        for (int l = 0; l < config.layers(); l++) {
            String p = "layers." + l + ".";
            blocks.add(new Block(norm(p + "attn_norm", d), linear(p + "attn.q", d, d), linear(p + "attn.k", d, d),
                    linear(p + "attn.v", d, d), norm(p + "attn.inner_norm", d), linear(p + "attn.out", d, d),
                    norm(p + "ffn_norm", d), linear(p + "ffn.fc1", d, f), norm(p + "ffn.inner_norm", f), linear(p + "ffn.fc2", f, d)));
        }
        finalNorm = norm("final_norm", d);
        head = config.tiedEmbeddings() ? null : add("head.weight", d, config.vocab());
    }

    /**
     * Zero weights of {@code config}'s shape, for {@link #load}: nothing is initialised, so no page of them is
     * touched before the file is read. The caller checks first that the memory exists ({@link ModelMemory}).
     */
    public static ModelWeights empty(ModelConfig config) {
        return new ModelWeights(config);
    }

    public ModelConfig config() {
        return config;
    }

    /** All parameters, in file order. */
    public List<Parameter> parameters() {
        return List.copyOf(all);
    }

    public long count() {
        return all.stream().mapToLong(Parameter::size).sum();
    }

    private Parameter add(String name, long... shape) {
        Parameter p = new Parameter(name, shape);
        all.add(p);
        return p;
    }

    private LayerNorm norm(String name, int width) {
        return new LayerNorm(add(name + ".weight", width), add(name + ".bias", width));
    }

    private Linear linear(String name, int in, int out) {
        return new Linear(add(name + ".weight", in, out), add(name + ".bias", out));
    }

    private void initialise(SplittableRandom random) {
        double magneto = Math.sqrt(Math.log(2.0 * config.layers()));
        double embedStd = 1 / Math.sqrt(config.dModel());
        for (Parameter p : all) {
            FloatArray a = p.value();
            String n = p.name();
            if (p == embedding) {
                for (long i = 0; i < a.getSize(); i++) {
                    a.set(i, (float) (gaussian(random) * embedStd));
                }
            } else if (p.decays()) {
                long[] s = p.shape();
                boolean scaled = n.contains(".attn.v.") || n.contains(".attn.out.") || n.contains(".ffn.fc");
                double bound = Math.sqrt(6.0 / (s[0] + s[1])) * (scaled ? magneto : 1);
                for (long i = 0; i < a.getSize(); i++) {
                    a.set(i, (float) random.nextDouble(-bound, bound));
                }
            } else {
                a.fill(n.endsWith("norm.weight") ? 1f : 0f);
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** Weights as safetensors (fp32), with the config's name in the metadata. */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, tensors(Parameter::value), Map.of("format", "longnet", "layout", "y = x W, W is [in][out]"));
    }

    /**
     * Replaces the weights with those of {@code file}, which must hold exactly this model's tensors, F32 and of
     * its shapes, each matching its checksum, every value finite. Returns whether the file had checksums
     * (files written before they were added have none; their tensors load unchecked).
     */
    public boolean load(Path file) throws IOException {
        return readInto(file, Map.of("", Parameter::value));
    }

    /**
     * Reads the tensors {@code prefix + name} of {@code file}, for each prefix of {@code arrays}, into the array
     * it names of each parameter (its value, or an optimizer moment), refusing any other tensor, shape or dtype
     * and any value that is not finite. Returns whether the file had checksums.
     */
    public boolean readInto(Path file, Map<String, Function<Parameter, FloatArray>> arrays) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            for (String prefix : arrays.keySet()) {
                for (Parameter p : all) {
                    SafeTensorsReader.Entry e = reader.entry(prefix + p.name());
                    if (e == null) {
                        throw new CorruptCheckpointException(file + " has no tensor " + prefix + p.name()
                                + " (it was written for another model shape)");
                    }
                    if (!Arrays.equals(e.shape(), p.shape()) || !e.dtype().equals("F32")) {
                        throw new CorruptCheckpointException(file + ": tensor " + prefix + p.name() + " is " + e.dtype() + " "
                                + Arrays.toString(e.shape()) + ", the model needs F32 " + Arrays.toString(p.shape()));
                    }
                }
            }
            if (reader.names().size() != (long) all.size() * arrays.size()) {
                throw new CorruptCheckpointException(file + " holds " + reader.names().size() + " tensors, the model needs "
                        + (long) all.size() * arrays.size());
            }
            for (var prefix : arrays.entrySet()) {
                for (Parameter p : all) {
                    FloatArray into = prefix.getValue().apply(p);
                    reader.readInto(prefix.getKey() + p.name(), into);
                    long bad = firstNonFinite(into);
                    if (bad >= 0) {
                        throw new CorruptCheckpointException(file + ": tensor " + prefix.getKey() + p.name() + " holds " + into.get(bad)
                                + " at element " + bad + "; weights and optimizer moments must be finite numbers");
                    }
                }
            }
            return reader.checksummed();
        }
    }

    /** The index of the first NaN or infinity in {@code a}, or -1. */
    private static long firstNonFinite(FloatArray a) {
        MemorySegment s = a.segment();
        for (long i = 0; i < a.getSize(); i++) {
            if (!Float.isFinite(s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i))) {
                return i;
            }
        }
        return -1;
    }

    Map<String, SafeTensors.Tensor> tensors(Function<Parameter, FloatArray> which) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        for (Parameter p : all) {
            out.put(p.name(), new SafeTensors.Tensor(p.shape(), which.apply(p)));
        }
        return out;
    }
}

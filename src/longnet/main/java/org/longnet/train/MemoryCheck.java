package org.longnet.train;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.SystemMemory;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelMemory;

import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Checks, before anything is allocated, that a run fits the memory that exists: the model's parameters
 * (with gradients and moments) and activations on the device, and on the host the parameters' copies, the
 * token arrays and the text. Host arrays are mapped lazily, so a size too large would otherwise pass its
 * allocation and be killed by the system when its pages are touched.
 * <p>
 * On the {@code jvm} device the device's arrays are the host's, so everything counts once against the host's
 * available memory; another device on the CPU (an OpenCL CPU driver) holds copies in the same memory, so
 * host and device needs add up there; a GPU's needs are checked against its own free memory.
 */
public final class MemoryCheck {
    /** Where a shape came from, for messages: option names, or a file's fields; {@code adjustable} when the user may change it. */
    public record Names(String batch, String length, boolean adjustable) {
        /** The command line's {@code --batch} and {@code --seq-len}. */
        public static Names options() {
            return new Names("--batch", "--seq-len", true);
        }
    }

    /** Bytes by purpose; each is at most {@link Long#MAX_VALUE} / 8, so sums cannot overflow. */
    private record Need(long parameters, long activations, long tokens, long text) {
        long device() {
            return parameters + activations;
        }

        long host() {
            return parameters + tokens + text;
        }
    }

    private final ModelConfig config;
    private final LongNetModel.Options options;
    private final int ranks;
    private final Device device;
    private final long parameterBytes;
    private final LongSupplier hostMemory;

    /**
     * A check of runs of a model of {@code config} (from {@code source}: a preset, a config file) with {@code options}
     * on {@code ranks} ranks of {@code device}; refuses at once a model whose parameters alone do not fit.
     */
    public MemoryCheck(ModelConfig config, LongNetModel.Options options, int ranks, Device device, String source) {
        this(config, options, ranks, device, source, SystemMemory::available);
    }

    /** With {@code hostMemory} saying what the host has available (a test's fixed amount). */
    MemoryCheck(ModelConfig config, LongNetModel.Options options, int ranks, Device device, String source, LongSupplier hostMemory) {
        this.hostMemory = hostMemory;
        this.config = config;
        this.options = options;
        this.ranks = ranks;
        this.device = device;
        this.parameterBytes = ModelMemory.bytes(config, source);
        String shortage = shortage(new Need(parameterBytes, 0, 0, 0));
        if (shortage != null) {
            throw new IllegalArgumentException(String.format("%s: a model of %,d parameters needs %s", source,
                    ModelMemory.parameters(config, source), shortage));
        }
    }

    /**
     * Refuses a training run of {@code batch} sequences of {@code seqLen} tokens over {@code textBytes} of text
     * that does not fit, in one line naming the sizes as {@code names} does and, where the user may change them,
     * the largest batch that fits.
     */
    public void training(int batch, int seqLen, long textBytes, Names names) {
        String shape = names.batch() + " " + batch + " x " + names.length() + " " + seqLen;
        long maxTokens = ModelMemory.maxTokens(config, options);
        long tokensPerRank = (long) batch * (seqLen / ranks);
        LongFunction<Need> need = b -> new Need(parameterBytes, LongNetModel.activationBytes(config, options, (int) b, seqLen, ranks),
                tokenBytes(b, seqLen), textBytes);
        if (tokensPerRank > maxTokens) {
            long largest = largestFitting(need, maxTokens / Math.max(1, seqLen / ranks) + 1);
            throw new IllegalArgumentException(String.format("%s is %,d tokens per step%s; the model takes at most %,d (its widest "
                            + "activation must stay below 2^31 elements)%s", shape, tokensPerRank, ranks > 1 ? " per rank" : "", maxTokens,
                    hint(names, largest)));
        }
        String shortage = shortage(need.apply(batch));
        if (shortage != null) {
            throw new IllegalArgumentException(shape + " needs " + shortage + hint(names, largestFitting(need, batch)));
        }
    }

    /**
     * Refuses forward passes over windows of {@code window} tokens, one at a time (generation, evaluation), that do
     * not fit, naming the window as {@code name}; {@code textBytes} of text are held beside them.
     */
    public void windows(int window, long textBytes, String name) {
        long maxTokens = ModelMemory.maxTokens(config, options);
        if (window > maxTokens) {
            throw new IllegalArgumentException(String.format("%s %,d is more tokens than the model takes in one pass: at most %,d "
                    + "(its widest activation must stay below 2^31 elements)", name, window, maxTokens));
        }
        long logits = (long) config.vocab() * Float.BYTES;
        LongFunction<Need> need = w -> new Need(parameterBytes, LongNetModel.activationBytes(config, options, 1, (int) w, 1),
                w * (2L * Integer.BYTES + logits), textBytes);
        String shortage = shortage(need.apply(window));
        if (shortage != null) {
            long largest = largestFitting(need, window);
            throw new IllegalArgumentException(String.format("%s %,d needs %s; %s", name, window, shortage, largest >= 2
                    ? String.format("at most %s %,d fits", name, largest) : "not even a window of 2 fits: use a device with more memory"));
        }
    }

    /** Host arrays of a batch's tokens: inputs and targets of whole sequences, and of this rank's chunks. */
    private long tokenBytes(long batch, int seqLen) {
        long tokens = batch * seqLen;
        return 2L * Integer.BYTES * (tokens + (ranks > 1 ? tokens / ranks : 0));
    }

    /** Null when {@code need} fits; else what it needs against what there is, as a message's middle. */
    private String shortage(Need need) {
        boolean jvm = device.info().backend().equals("jvm"), gpu = device.info().gpu();
        long host = hostMemory.getAsLong(), onDevice = device.freeMemory();
        if (jvm) {
            long total = need.host() + need.activations();
            return total <= host ? null : String.format("%s of memory (%s) and %s is available", ModelMemory.gib(total), parts(need),
                    ModelMemory.gib(host));
        }
        if (need.device() > onDevice) {
            return String.format("%s on %s (%s) and it has %s free", ModelMemory.gib(need.device()), device.info().id(), parts(need),
                    ModelMemory.gib(onDevice));
        }
        long onHost = need.host() + (gpu ? 0 : need.device()); // a CPU device's copies live in host memory too
        return onHost <= host ? null : String.format("%s of host memory (%s%s) and %s is available", ModelMemory.gib(onHost), parts(need),
                gpu ? "" : ", with " + device.info().id() + "'s copies", ModelMemory.gib(host));
    }

    private static String parts(Need n) {
        return String.format("parameters with gradients and moments %s, activations %s, token arrays %s, text %s",
                ModelMemory.gib(n.parameters()), ModelMemory.gib(n.activations()), ModelMemory.gib(n.tokens()), ModelMemory.gib(n.text()));
    }

    /** The largest size in [0, {@code above}) whose need fits, 0 when none does (needs grow with the size). */
    private long largestFitting(LongFunction<Need> need, long above) {
        long lo = 0, hi = above; // fits(lo) holds by convention, fits(hi) does not
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (shortage(need.apply(mid)) == null) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private String hint(Names names, long largest) {
        if (!names.adjustable()) {
            return "; a resumed run keeps its batch and sequence length: resume it on a device with more memory";
        }
        return largest > 0 ? String.format("; at most %s %,d fits at this %s", names.batch(), largest, names.length())
                : String.format("; even %s 1 does not fit: use a shorter %s%s", names.batch(), names.length(),
                options.recompute() ? "" : " or --recompute");
    }
}

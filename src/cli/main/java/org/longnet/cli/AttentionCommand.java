package org.longnet.cli;

import org.longnet.attention.MultiheadDilatedAttention;
import org.longnet.attention.Positions;
import org.longnet.attention.Precision;
import org.longnet.bench.Stats;
import org.longnet.commandline.Arguments;
import org.longnet.commandline.BatchOption;
import org.longnet.attention.DilatedAttentionConfig;
import org.longnet.attention.SequenceSplit;
import org.longnet.commandline.SequenceParallel;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.train.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.SplittableRandom;

/** {@code longnet attention}: the seed project's example, a dilated-attention layer on (batch, seqLen, dModel). */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Run a dilated-attention layer, projections included, on random input and time its forward pass.",
        "",
        "The seed project's example: DilatedAttention(dModel 512, 8 heads, dilation 2, segment 64) on (batch, seqLen,",
        "dModel). A progress line says which pass runs; then the output shape, a checksum of the output copied back, the",
        "forward time on input already on the device (output left there, as the seed times it), the host-to-device and",
        "device-to-host copy times (from page-locked host memory on cuda) and the memory are printed. A size the device",
        "cannot hold is refused with the largest one that fits.",
        "Accuracy (max |y - float64 layer| / max |y|, the seed's layer at 2 x 150 tokens): fp32 2e-7; fp16 5e-4; bf16 4e-3;",
        "fp32 with TF32 products near fp16's (cuda only: fp32 elsewhere). docs/attention-precision.md has the details.",
        "Under mpirun with --sequence-parallel each rank runs its chunk of every sequence; the checksum is the whole",
        "output's, equal to a single rank's."},
        footer = {"", "Examples:", "  longnet attention", "  longnet attention --seq-len 65536 --causal --runs 5",
                "  longnet --device cuda attention --batch 4 --seq-len 1048576",
                "  longnet --device cuda attention --seq-len 1048576 --precision fp16",
                "  longnet --device cuda attention --seq-len 1048576 --fp32-products tf32",
                "  mpirun -np 4 longnet --device opencl attention --seq-len 65536 --segment 32768 --sequence-parallel"})
final class AttentionCommand implements Runnable {
    @Mixin
    BatchOption batchOption;

    @Option(names = "--seq-len", paramLabel = "N", defaultValue = "8192", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--d-model", paramLabel = "D", defaultValue = "512", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--heads", paramLabel = "H", defaultValue = "8", description = "Heads, each dModel / H wide (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--dilation", paramLabel = "R", defaultValue = "2", description = "Dilation rate (default: ${DEFAULT-VALUE}).")
    int dilation;

    @Option(names = "--segment", paramLabel = "W", defaultValue = "64", description = "Segment length (default: ${DEFAULT-VALUE}).")
    int segment;

    @Option(names = "--causal", description = "Mask future tokens (the seed's example is not causal).")
    boolean causal;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Timed forward passes after one warm-up pass (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32", description = {
            "Storage of input, weights and activations: fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}). 16-bit math and",
            "accumulation stay fp32; on cuda the products run on tensor cores."})
    String precision;

    @Option(names = "--fp32-products", paramLabel = "P", defaultValue = "fp32", description = {
            "With --precision fp32: fp32, or tf32 (cuBLAS rounds the products' operands to 10 mantissa bits, fp32",
            "accumulation; several times faster on tensor cores) (default: ${DEFAULT-VALUE})."})
    String fp32Products;

    @Mixin
    SequenceParallel split;

    @Override
    public void run() {
        int batch = batchOption.checked();
        Arguments.atLeast("--seq-len", seqLen, 1);
        Arguments.atLeast("--runs", runs, 1);
        Precision storage = Precision.parse("--precision", precision);
        boolean tf32 = tf32(storage);
        Device device = split.device();
        Communicator group = split.group();
        try (MultiheadDilatedAttention layer = new MultiheadDilatedAttention(dModel, heads, new int[] {segment}, new int[] {dilation},
                causal, Positions.NONE, 1).withPrecision(storage, tf32).withPinnedHostCopies(true).splitAcross(group)) {
            SequenceSplit chunks = new SequenceSplit(group, seqLen);
            chunks.check(DilatedAttentionConfig.of(new int[] {segment}, new int[] {dilation}, causal));
            long tokens = (long) batch * chunks.chunk();
            long needed = layer.bytesFor(tokens, false);
            refuseWhatDoesNotFit(layer, device, batch, tokens, needed);
            DeviceArray x = layer.input(device, batch, seqLen);
            System.out.println("layer: dModel " + dModel + ", " + heads + " heads, segment " + segment + ", dilation " + dilation
                    + (causal ? ", causal" : "") + "; precision " + storage.label() + (tf32 ? " (TF32 products)" : "")
                    + "; attention kernels: " + layer.attentionKernels());
            SplittableRandom random = new SplittableRandom(7); // the whole input drawn by every rank, which keeps its chunk
            for (long i = 0; i < (long) batch * seqLen * dModel; i++) {
                float value = (float) random.nextDouble(-1, 1);
                long position = i / dModel % seqLen - chunks.offset();
                if (position >= 0 && position < chunks.chunk()) {
                    Precision.set(x, (i / dModel / seqLen * chunks.chunk() + position) * dModel + i % dModel, value);
                }
            }
            long uploadNs = layer.upload(true);
            ProgressLine progress = new ProgressLine(System.out);
            String what = String.format("forward of %d x %,d tokens: ", batch, seqLen);
            progress.show(0, runs + 1, what + "warm-up pass (compiles the kernels)  elapsed " + progress.elapsed(), true);
            layer.forwardOnDevice();
            long[] ns = new long[runs];
            for (int r = 0; r < runs; r++) {
                progress.show(r + 1, runs + 1, what + "timed pass " + (r + 1) + "/" + runs + "  elapsed " + progress.elapsed(), true);
                long t = System.nanoTime();
                layer.forwardOnDevice();
                ns[r] = System.nanoTime() - t;
            }
            progress.show(runs + 1, runs + 1, what + "done  elapsed " + progress.elapsed(), true);
            progress.end();
            long downloadNs = layer.download(true);
            DeviceArray y = layer.output();
            double[] sums = {0, 0};
            for (long i = 0; i < y.getSize(); i++) {
                float value = Precision.get(y, i);
                sums[0] += value;
                sums[1] += Math.abs(value);
            }
            group.allReduce(sums);
            System.out.printf("input  (batch, seqLen, dModel) = (%d, %d, %d)%n", batch, seqLen, dModel);
            System.out.printf("output (batch, seqLen, dModel) = (%d, %d, %d); sum %.6f, sum of |y| %.6f%n", batch, seqLen,
                    y.getSize() / tokens, sums[0], sums[1]);
            System.out.printf("forward: %.3f ms (median of %d, input on the device, output left there), %.3g tokens/s%n",
                    Stats.median(ns) / 1e6, runs, tokens * group.size() / (Stats.median(ns) / 1e9));
            String host = layer.hostCopiesPinned() ? "page-locked" : "pageable";
            System.out.printf("copies (%s host memory, %.1f MiB each way): host to device %.3f ms, device to host %.3f ms%n", host,
                    x.byteSize() / 1048576.0, uploadNs / 1e6, downloadNs / 1e6);
            System.out.printf("memory: %.1f MiB of layer buffers (%s activations for %d tokens, parameters)%n",
                    needed / 1048576.0, storage.label(), tokens);
        }
    }

    /** Whether fp32 products may run as TF32: {@code --fp32-products} checked against its allowed values and the precision. */
    private boolean tf32(Precision storage) {
        if (!fp32Products.equals("fp32") && !fp32Products.equals("tf32")) {
            throw new IllegalArgumentException("--fp32-products must be one of fp32, tf32; was '" + fp32Products + "'");
        }
        if (fp32Products.equals("tf32") && storage != Precision.FP32) {
            throw new IllegalArgumentException("--fp32-products tf32 applies to --precision fp32 only; was --precision " + storage.label());
        }
        return fp32Products.equals("tf32");
    }

    private void refuseWhatDoesNotFit(MultiheadDilatedAttention layer, Device device, int batch, long tokens, long needed) {
        long available = Math.min(device.freeMemory(), Devices.jvm().info().globalMemoryBytes()) * 9 / 10;
        if (needed > available || tokens * dModel > Integer.MAX_VALUE * 8L) {
            long perToken = layer.bytesFor(2, false) - layer.bytesFor(1, false);
            long fit = (available - layer.bytesFor(0, false)) / perToken;
            throw new IllegalArgumentException(String.format(
                    "%d x %d tokens x dModel %d needs %.1f GiB on %s and %.1f GiB fit (device memory free, and host memory);"
                            + " the largest that fits is %d tokens: e.g. --batch 1 --seq-len %d, or --batch %d --seq-len %d",
                    batch, seqLen, dModel, needed / 1073741824.0, device.info().id(), available / 1073741824.0, fit,
                    Math.min(fit, Integer.MAX_VALUE), Math.max(1, batch), Math.max(1, fit / Math.max(1, batch))));
        }
    }
}

package org.longnet.data;

import org.longnet.engine.api.IntArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Text as bytes (the model's vocabulary is the 256 byte values), split into training and
 * validation parts. A batch is a set of windows at pseudo-random offsets that depend only on
 * (seed, step): so training resumed at step k sees exactly the batches it would have seen.
 */
public final class ByteDataset implements TrainingData {
    private final byte[] bytes;
    private final int trainEnd;

    private ByteDataset(byte[] bytes, double validationFraction) {
        this.bytes = bytes;
        this.trainEnd = (int) (bytes.length * (1 - validationFraction));
    }

    /** A UTF-8 text file, or every regular file under a folder (in path order) joined by blank lines. */
    public static ByteDataset load(Path fileOrFolder, double validationFraction) throws IOException {
        if (!(validationFraction > 0 && validationFraction < 0.5)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 0.5), was " + validationFraction);
        }
        if (!Files.exists(fileOrFolder)) {
            throw new IllegalArgumentException("--data " + fileOrFolder + " does not exist");
        }
        byte[] data;
        if (Files.isDirectory(fileOrFolder)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(fileOrFolder)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Path f : files) {
                out.write(Files.readAllBytes(f));
                out.write("\n\n".getBytes());
            }
            data = out.toByteArray();
        } else {
            data = Files.readAllBytes(fileOrFolder);
        }
        if (data.length < 1024) {
            throw new IllegalArgumentException("--data " + fileOrFolder + " holds " + data.length + " bytes; training needs at least 1024");
        }
        return new ByteDataset(data, validationFraction);
    }

    public long trainBytes() {
        return trainEnd;
    }

    public long validationBytes() {
        return bytes.length - trainEnd;
    }

    @Override
    public String describe() {
        return String.format("%,d training bytes, %,d validation bytes", trainBytes(), validationBytes());
    }

    /** Refuses, before any work, a sequence length that the training or validation part cannot hold. */
    @Override
    public void checkWindow(int seqLen) {
        long shorter = Math.min(trainEnd, bytes.length - trainEnd);
        if (shorter < seqLen + 1L) {
            throw new IllegalArgumentException("--seq-len " + seqLen + " needs windows of " + (seqLen + 1L) + " bytes but the "
                    + (trainEnd < bytes.length - trainEnd ? "training" : "validation") + " part of the data has " + shorter
                    + "; use a sequence of at most " + (shorter - 1) + " bytes or more data");
        }
    }

    /**
     * Fills {@code inputs} and {@code targets} ({@code batch * seqLen} each, targets one byte
     * ahead) with training windows for {@code step}, or validation windows when {@code validation}.
     */
    @Override
    public void batch(IntArray inputs, IntArray targets, int batch, int seqLen, long step, long seed, boolean validation) {
        int from = validation ? trainEnd : 0;
        int to = validation ? bytes.length : trainEnd;
        if (to - from < seqLen + 1) {
            throw new IllegalArgumentException("--seq-len " + seqLen + " needs windows of " + (seqLen + 1) + " bytes but the "
                    + (validation ? "validation" : "training") + " part has " + (to - from) + "; use a shorter sequence or more data");
        }
        if (inputs.getSize() != (long) batch * seqLen || targets.getSize() != (long) batch * seqLen) {
            throw new IllegalArgumentException("inputs and targets must hold batch * seqLen = " + (long) batch * seqLen + " tokens");
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 2 + (validation ? 1 : 0));
        for (int b = 0; b < batch; b++) {
            int offset = from + random.nextInt(to - from - seqLen);
            for (int t = 0; t < seqLen; t++) {
                inputs.set((long) b * seqLen + t, bytes[offset + t] & 0xFF);
                targets.set((long) b * seqLen + t, bytes[offset + t + 1] & 0xFF);
            }
        }
    }
}

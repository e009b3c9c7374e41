package org.longnet.data;

import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.SystemMemory;
import org.longnet.io.FileErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Text as bytes (the model's vocabulary is the 256 byte values), split into training and
 * validation parts. A batch is a set of windows at pseudo-random offsets that depend only on
 * (seed, step): so training resumed at step k sees exactly the batches it would have seen.
 * <p>
 * The text is held off the Java heap, read in a stream after its size is checked against the memory
 * available, so a text of any size the machine can hold loads, and a larger one is refused before
 * anything is read. Its size and SHA-256 ({@link #fingerprint()}) are taken as it is read.
 */
public final class ByteDataset implements TrainingData {
    private final MemorySegment bytes;
    private final long size;
    private final long trainEnd;
    private final TextFingerprint fingerprint;

    private ByteDataset(MemorySegment bytes, long size, double validationFraction, TextFingerprint fingerprint) {
        this.bytes = bytes;
        this.size = size;
        this.trainEnd = (long) (size * (1 - validationFraction));
        this.fingerprint = fingerprint;
    }

    /**
     * A UTF-8 text file, or every regular file under a folder (in path order) joined by blank lines. Refused
     * in one line naming {@code --data}: a path that does not exist, is not a regular file (a device or a
     * pipe, which may never end), cannot be read (with the reason), holds less than 1024 bytes, or more than
     * the memory available.
     */
    public static ByteDataset load(Path fileOrFolder, double validationFraction) throws IOException {
        if (!(validationFraction > 0 && validationFraction < 0.5)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 0.5), was " + validationFraction);
        }
        if (!Files.exists(fileOrFolder)) {
            throw new IllegalArgumentException("--data " + fileOrFolder + " does not exist");
        }
        boolean folder = Files.isDirectory(fileOrFolder);
        List<Path> files;
        long[] sizes;
        long total = 0;
        try {
            if (folder) {
                try (Stream<Path> walk = Files.walk(fileOrFolder)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            } else if (Files.isRegularFile(fileOrFolder)) {
                files = List.of(fileOrFolder);
            } else {
                throw new IllegalArgumentException("--data " + fileOrFolder + " is not a regular file (a device, pipe or socket has "
                        + "no known end); give a text file or a folder of them");
            }
            sizes = new long[files.size()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = Files.size(files.get(i));
                total += sizes[i] + (folder ? SEPARATOR.length : 0);
            }
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new IOException("cannot read --data " + fileOrFolder + ": " + FileErrors.describe(cause), cause);
        }
        if (total < 1024) {
            throw new IllegalArgumentException("--data " + fileOrFolder + " holds " + total + " bytes; training needs at least 1024");
        }
        long available = SystemMemory.available();
        if (total > available) {
            throw new IllegalArgumentException(String.format("--data %s holds %,d bytes (%.2f GiB) and this machine has %.2f GiB of "
                    + "memory available to hold it; give a smaller text", fileOrFolder, total, total / 1073741824.0, available / 1073741824.0));
        }
        MemorySegment text = Arena.ofAuto().allocate(total);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            at = read(files.get(i), text, at, sizes[i], sha);
            if (folder) {
                MemorySegment.copy(MemorySegment.ofArray(SEPARATOR), 0, text, at, SEPARATOR.length);
                sha.update(SEPARATOR);
                at += SEPARATOR.length;
            }
        }
        if (at != total) {
            throw new IOException("--data " + fileOrFolder + " changed while it was read: " + at + " bytes, not " + total);
        }
        return new ByteDataset(text, total, validationFraction, new TextFingerprint(total, HexFormat.of().formatHex(sha.digest())));
    }

    /** What joins the files of a folder: a blank line. */
    private static final byte[] SEPARATOR = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Reads the first {@code size} bytes of {@code file} into {@code into} at {@code at}, or fewer where the file
     * ends sooner (it changed as it was read); returns the offset after the bytes read.
     */
    private static long read(Path file, MemorySegment into, long at, long size, MessageDigest sha) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < size) {
                ByteBuffer buffer = into.asSlice(at + done, Math.min(size - done, 1 << 24)).asByteBuffer();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                sha.update(buffer.flip());
                done += n;
            }
            return at + done;
        } catch (IOException e) {
            throw new IOException("cannot read --data " + file + ": " + FileErrors.reason(e), e);
        }
    }

    @Override
    public TextFingerprint fingerprint() {
        return fingerprint;
    }

    public long trainBytes() {
        return trainEnd;
    }

    public long validationBytes() {
        return size - trainEnd;
    }

    @Override
    public String describe() {
        return String.format("%,d training bytes, %,d validation bytes", trainBytes(), validationBytes());
    }

    /** Refuses, before any work, a sequence length that the training or validation part cannot hold. */
    @Override
    public void checkWindow(int seqLen) {
        long shorter = Math.min(trainEnd, size - trainEnd);
        if (shorter < seqLen + 1L) {
            throw new IllegalArgumentException("--seq-len " + seqLen + " needs windows of " + (seqLen + 1L) + " bytes but the "
                    + (trainEnd < size - trainEnd ? "training" : "validation") + " part of the data has " + shorter
                    + "; use a sequence of at most " + (shorter - 1) + " bytes or more data");
        }
    }

    /**
     * Fills {@code inputs} and {@code targets} ({@code count * seqLen} each, targets one byte ahead) with {@code count}
     * consecutive windows of the validation part, the first {@code offset} bytes into it: evaluation reads the same text
     * at every length this way.
     */
    public void validationWindows(IntArray inputs, IntArray targets, int count, int seqLen, long offset) {
        if (inputs.getSize() != (long) count * seqLen || targets.getSize() != (long) count * seqLen) {
            throw new IllegalArgumentException("inputs and targets must hold count * seqLen = " + (long) count * seqLen + " tokens");
        }
        validationWindow(inputs, targets, 0, (long) count * seqLen, offset);
    }

    /**
     * Fills {@code length} tokens of {@code inputs} and {@code targets} from token {@code at} on with the validation part's
     * bytes from {@code offset} on (targets one byte ahead): one window of a batch, where windows may overlap in the text.
     */
    public void validationWindow(IntArray inputs, IntArray targets, long at, long length, long offset) {
        long first = trainEnd + offset, end = first + length + 1;
        if (offset < 0 || end > size) {
            throw new IllegalArgumentException(String.format("%,d bytes from %,d bytes into the validation part need %,d bytes, and it has %,d",
                    length, offset, end - trainEnd, size - trainEnd));
        }
        if (at < 0 || at + length > inputs.getSize() || at + length > targets.getSize()) {
            throw new IllegalArgumentException("tokens " + at + " to " + (at + length) + " are outside inputs of " + inputs.getSize()
                    + " and targets of " + targets.getSize());
        }
        for (long t = 0; t < length; t++) {
            inputs.set(at + t, bytes.get(ValueLayout.JAVA_BYTE, first + t) & 0xFF);
            targets.set(at + t, bytes.get(ValueLayout.JAVA_BYTE, first + t + 1) & 0xFF);
        }
    }

    /**
     * Fills {@code inputs} and {@code targets} ({@code batch * seqLen} each, targets one byte
     * ahead) with training windows for {@code step}, or validation windows when {@code validation}.
     */
    @Override
    public void batch(IntArray inputs, IntArray targets, int batch, int seqLen, long step, long seed, boolean validation) {
        long from = validation ? trainEnd : 0;
        long to = validation ? size : trainEnd;
        if (to - from < seqLen + 1L) {
            throw new IllegalArgumentException("--seq-len " + seqLen + " needs windows of " + (seqLen + 1L) + " bytes but the "
                    + (validation ? "validation" : "training") + " part has " + (to - from) + "; use a shorter sequence or more data");
        }
        if (inputs.getSize() != (long) batch * seqLen || targets.getSize() != (long) batch * seqLen) {
            throw new IllegalArgumentException("inputs and targets must hold batch * seqLen = " + (long) batch * seqLen + " tokens");
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 2 + (validation ? 1 : 0));
        long span = to - from - seqLen;
        for (int b = 0; b < batch; b++) {
            // nextInt below 2^31 keeps the windows every earlier run drew; longer texts need nextLong
            long offset = from + (span <= Integer.MAX_VALUE ? random.nextInt((int) span) : random.nextLong(span));
            for (int t = 0; t < seqLen; t++) {
                inputs.set((long) b * seqLen + t, bytes.get(ValueLayout.JAVA_BYTE, offset + t) & 0xFF);
                targets.set((long) b * seqLen + t, bytes.get(ValueLayout.JAVA_BYTE, offset + t + 1) & 0xFF);
            }
        }
    }
}

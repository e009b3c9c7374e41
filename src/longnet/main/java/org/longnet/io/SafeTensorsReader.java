package org.longnet.io;

import org.longnet.engine.api.DeviceArray;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads a safetensors file checked before any tensor is read: the header must be JSON of at most
 * {@value #MAX_HEADER} bytes; each tensor needs a known dtype, a shape whose byte count is exactly its
 * range, and the ranges must tile the data that follows the header without gaps or overlaps. A tensor is
 * then read into an array the caller owns and checked against its CRC-32C where the file records one
 * ({@link #checksummed()}: files written before checksums were added have none).
 */
public final class SafeTensorsReader implements AutoCloseable {
    /** Largest header this reader accepts (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    private static final Map<String, Integer> DTYPE_BYTES = Map.of("F32", 4, "BF16", 2, "F16", 2, "I32", 4);

    /** One tensor's entry in the header: dtype, shape, element count and byte range within the data. */
    public record Entry(String dtype, long[] shape, long elements, long begin, long end) {
        public long[] shape() {
            return shape.clone();
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Long> checksums = new LinkedHashMap<>();

    private SafeTensorsReader(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        long size = channel.size();
        if (size < 8) {
            throw corrupt("it has " + size + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw corrupt("the header length " + headerLength + " does not fit a file of " + size + " bytes");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(headerBytes, 8);
        Object parsed;
        try {
            parsed = Json.parse(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw corrupt("its header is not JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw corrupt("its header is not a JSON object");
        }
        this.dataStart = 8 + headerLength;
        for (var e : header.entrySet()) {
            String name = e.getKey().toString();
            if (name.equals("__metadata__")) {
                metadata(e.getValue());
            } else {
                entries.put(name, entry(name, e.getValue()));
            }
        }
        checkTiling(size - dataStart);
        if (!checksums.isEmpty() && !checksums.keySet().equals(entries.keySet())) {
            throw corrupt("its checksums name other tensors than its header");
        }
    }

    /** Opens {@code file} and checks its header; a missing or unreadable file is refused with the reason. */
    public static SafeTensorsReader open(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new CorruptCheckpointException(file + " is not a regular file"); // a pipe would block, a device never end
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException(file + " is missing");
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + FileErrors.reason(e), e);
        }
        try {
            return new SafeTensorsReader(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The tensors' names in file order. */
    public Set<String> names() {
        return entries.keySet();
    }

    public Entry entry(String name) {
        return entries.get(name);
    }

    /** The string metadata, without the checksums. */
    public Map<String, String> metadata() {
        return Map.copyOf(metadata);
    }

    /** Whether the file records a checksum for every tensor (files written before checksums were added do not). */
    public boolean checksummed() {
        return !checksums.isEmpty();
    }

    /**
     * Reads tensor {@code name} into {@code into}, which must have its dtype and element count, and checks it
     * against its checksum.
     */
    public void readInto(String name, DeviceArray into) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw corrupt("it has no tensor '" + name + "'");
        }
        if (!SafeTensors.dtype(into).equals(e.dtype()) || into.getSize() != e.elements()) {
            throw corrupt("tensor '" + name + "' is " + e.dtype() + " " + Arrays.toString(e.shape) + ", not the "
                    + SafeTensors.dtype(into) + " of " + into.getSize() + " elements expected");
        }
        MemorySegment target = into.segment().asSlice(0, into.byteSize());
        for (long at = 0; at < target.byteSize(); at += Integer.MAX_VALUE / 2) {
            long n = Math.min(Integer.MAX_VALUE / 2, target.byteSize() - at);
            readFully(target.asSlice(at, n).asByteBuffer(), dataStart + e.begin() + at);
        }
        Long recorded = checksums.get(name);
        if (recorded != null) {
            long actual = crc32c(into);
            if (actual != recorded) {
                throw corrupt("tensor '" + name + "' does not match its checksum (crc32c " + hex(recorded) + " recorded, "
                        + hex(actual) + " read): its data was changed or moved");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** CRC-32C of an array's bytes. */
    static long crc32c(DeviceArray data) {
        CRC32C crc = new CRC32C();
        MemorySegment bytes = data.segment().asSlice(0, data.byteSize());
        for (long at = 0; at < bytes.byteSize(); at += Integer.MAX_VALUE / 2) {
            crc.update(bytes.asSlice(at, Math.min(Integer.MAX_VALUE / 2, bytes.byteSize() - at)).asByteBuffer());
        }
        return crc.getValue();
    }

    static String hex(long crc) {
        return String.format("%08x", crc);
    }

    private void metadata(Object value) throws CorruptCheckpointException {
        if (!(value instanceof Map<?, ?> m)) {
            throw corrupt("its __metadata__ is not a JSON object");
        }
        for (var e : m.entrySet()) {
            String key = e.getKey().toString(), text = String.valueOf(e.getValue());
            if (!key.startsWith(SafeTensors.CHECKSUM_PREFIX)) {
                metadata.put(key, text);
            } else if (text.matches("[0-9a-f]{8}")) {
                checksums.put(key.substring(SafeTensors.CHECKSUM_PREFIX.length()), Long.parseLong(text, 16));
            } else {
                throw corrupt("its checksum " + key + " is '" + text + "', not 8 hex digits");
            }
        }
    }

    private Entry entry(String name, Object value) throws CorruptCheckpointException {
        if (!(value instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dtype) || !(m.get("shape") instanceof List<?> shapeList)
                || !(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw corrupt("tensor '" + name + "' needs dtype, shape and two data_offsets");
        }
        Integer elementBytes = DTYPE_BYTES.get(dtype);
        if (elementBytes == null) {
            throw corrupt("tensor '" + name + "' has dtype " + dtype + "; this reader takes F32, BF16, F16 and I32");
        }
        long[] shape = new long[shapeList.size()];
        long elements = 1, bytes;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (!(shapeList.get(i) instanceof Long d) || d < 0) {
                    throw corrupt("tensor '" + name + "' has a bad shape " + shapeList);
                }
                shape[i] = d;
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) elementBytes);
        } catch (ArithmeticException e) {
            throw corrupt("tensor '" + name + "' has shape " + shapeList + ", more bytes than a file can hold");
        }
        if (!(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < begin) {
            throw corrupt("tensor '" + name + "' has data_offsets " + offsets + "; they must be two integers, begin <= end");
        }
        if (end - begin != bytes) {
            throw corrupt("tensor '" + name + "' has " + (end - begin) + " bytes but " + dtype + " " + shapeList + " needs " + bytes);
        }
        return new Entry(dtype, shape, elements, begin, end);
    }

    /** The ranges, in order, must cover the data exactly: no gap, no overlap, nothing past the end. */
    private void checkTiling(long dataBytes) throws CorruptCheckpointException {
        List<Map.Entry<String, Entry>> byBegin = new ArrayList<>(entries.entrySet());
        byBegin.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin()).thenComparingLong(e -> e.getValue().end()));
        long covered = 0;
        for (var e : byBegin) {
            Entry t = e.getValue();
            if (t.end() > dataBytes) {
                throw corrupt("tensor '" + e.getKey() + "' has data_offsets [" + t.begin() + ", " + t.end() + "] outside the "
                        + dataBytes + " data bytes");
            }
            if (t.begin() != covered) {
                throw corrupt("tensor '" + e.getKey() + "' starts at data byte " + t.begin() + " where " + covered + " was expected: "
                        + (t.begin() < covered ? "it overlaps another tensor" : "bytes are left unused"));
            }
            covered = t.end();
        }
        if (covered != dataBytes) {
            throw corrupt("its tensors cover " + covered + " of its " + dataBytes + " data bytes");
        }
    }

    private CorruptCheckpointException corrupt(String why) {
        return new CorruptCheckpointException(file, why);
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw corrupt("it ends at byte " + at + ", before its data does");
            }
            at += n;
        }
    }
}

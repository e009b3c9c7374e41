package org.longnet.io;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors in the safetensors format (what Python's {@code safetensors} library reads): an 8-byte
 * little-endian header length, a JSON header mapping each name to its dtype, shape and byte range,
 * then the raw little-endian data. Written atomically; read with every range and size checked.
 */
public final class SafeTensors {
    /** One named tensor: its shape and its data (the array's type gives the dtype). */
    public record Tensor(long[] shape, DeviceArray data) {
        public Tensor {
            long elements = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor dimensions must be >= 0, was " + java.util.Arrays.toString(shape));
                }
                elements *= d;
            }
            if (elements != data.getSize()) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + elements
                        + " elements but the array has " + data.getSize());
            }
        }
    }

    /** What a file holds: its tensors in file order, and its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Largest header this reader accepts (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            DeviceArray data = e.getValue().data();
            List<Object> shape = new ArrayList<>();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype(data));
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + data.byteSize()));
            header.put(e.getKey(), entry);
            offset += data.byteSize();
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(file, channel -> {
            writeFully(channel, head);
            for (Tensor t : tensors.values()) {
                writeFully(channel, t.data().segment().asSlice(0, t.data().byteSize()).asByteBuffer());
            }
        });
    }

    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CorruptCheckpointException(file, "it has " + size + " bytes, fewer than the 8 of the header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new CorruptCheckpointException(file, "the header length " + headerLength + " does not fit a file of "
                        + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            Object parsed;
            try {
                parsed = Json.parse(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new CorruptCheckpointException(file, "its header is not JSON (" + e.getMessage() + ")");
            }
            if (!(parsed instanceof Map<?, ?> header)) {
                throw new CorruptCheckpointException(file, "its header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (var e : header.entrySet()) {
                String name = e.getKey().toString();
                if (name.equals("__metadata__")) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> metadata.put(k.toString(), String.valueOf(v)));
                    }
                    continue;
                }
                tensors.put(name, tensor(file, channel, name, e.getValue(), dataStart, size));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static Tensor tensor(Path file, FileChannel channel, String name, Object entry, long dataStart, long size)
            throws IOException {
        if (!(entry instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dtype) || !(m.get("shape") instanceof List<?> shapeList)
                || !(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw new CorruptCheckpointException(file, "tensor '" + name + "' needs dtype, shape and two data_offsets");
        }
        long[] shape = new long[shapeList.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0) {
                throw new CorruptCheckpointException(file, "tensor '" + name + "' has a bad shape " + shapeList);
            }
            shape[i] = d;
            elements = Math.multiplyExact(elements, d);
        }
        if (!(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0 || end < begin
                || dataStart + end > size) {
            throw new CorruptCheckpointException(file, "tensor '" + name + "' has data_offsets " + offsets + " outside the "
                    + (size - dataStart) + " data bytes");
        }
        DeviceArray data = switch (dtype) {
            case "F32" -> new FloatArray(elements);
            case "BF16" -> new BFloat16Array(elements);
            case "F16" -> new HalfFloatArray(elements);
            case "I32" -> new IntArray(elements);
            default -> throw new CorruptCheckpointException(file, "tensor '" + name + "' has dtype " + dtype
                    + "; this reader takes F32, BF16, F16 and I32");
        };
        if (end - begin != data.byteSize()) {
            throw new CorruptCheckpointException(file, "tensor '" + name + "' has " + (end - begin) + " bytes but " + dtype
                    + " " + java.util.Arrays.toString(shape) + " needs " + data.byteSize());
        }
        readFully(channel, data.segment().asSlice(0, data.byteSize()).asByteBuffer(), dataStart + begin);
        return new Tensor(shape, data);
    }

    private static String dtype(DeviceArray data) {
        return switch (data) {
            case FloatArray f -> "F32";
            case BFloat16Array b -> "BF16";
            case HalfFloatArray h -> "F16";
            case IntArray i -> "I32";
            default -> throw new IllegalArgumentException("a checkpoint holds F32, BF16, F16 and I32 tensors, not "
                    + data.getClass().getSimpleName());
        };
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}

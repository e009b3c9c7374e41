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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tensors in the safetensors format (what Python's {@code safetensors} library reads): an 8-byte
 * little-endian header length, a JSON header mapping each name to its dtype, shape and byte range,
 * then the raw little-endian data. Written atomically and byte for byte the same for the same tensors
 * (the metadata in key order); each tensor's CRC-32C is kept in the metadata ({@value #CHECKSUM_PREFIX}NAME)
 * and checked on reading, so data that moved or changed is caught. {@link SafeTensorsReader} reads.
 */
public final class SafeTensors {
    /** The metadata key prefix of a tensor's checksum: CRC-32C of its data bytes, 8 hex digits. */
    public static final String CHECKSUM_PREFIX = "crc32c:";

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

    /** What a file holds: its tensors in file order, and its string metadata (checksums left out). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        for (String key : metadata.keySet()) {
            if (key.startsWith(CHECKSUM_PREFIX)) {
                throw new IllegalArgumentException("metadata key " + key + " is reserved for checksums");
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>(new TreeMap<>(metadata)); // sorted: the same bytes whatever map was given
        for (var e : tensors.entrySet()) {
            meta.put(CHECKSUM_PREFIX + e.getKey(), SafeTensorsReader.hex(SafeTensorsReader.crc32c(e.getValue().data())));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", meta);
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

    /** Every tensor of {@code file}, each checked against its checksum where the file has them. */
    public static Contents read(Path file) throws IOException {
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : reader.names()) {
                SafeTensorsReader.Entry e = reader.entry(name);
                DeviceArray data = switch (e.dtype()) {
                    case "F32" -> new FloatArray(e.elements());
                    case "BF16" -> new BFloat16Array(e.elements());
                    case "F16" -> new HalfFloatArray(e.elements());
                    default -> new IntArray(e.elements());
                };
                reader.readInto(name, data);
                tensors.put(name, new Tensor(e.shape(), data));
            }
            return new Contents(tensors, reader.metadata());
        }
    }

    static String dtype(DeviceArray data) {
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
}

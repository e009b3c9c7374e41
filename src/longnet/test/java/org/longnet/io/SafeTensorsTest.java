package org.longnet.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.engine.Check;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints: exact round trips, the byte layout other tools read, clear errors, atomic writes. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Map<String, SafeTensors.Tensor> sample() {
        FloatArray w = Check.random(12, 1, -3, 3);
        w.set(0, Float.MIN_VALUE);
        w.set(1, -0f);
        BFloat16Array b = new BFloat16Array(5);
        HalfFloatArray half = new HalfFloatArray(3);
        IntArray ids = Check.randomInts(4, 2, Integer.MIN_VALUE, Integer.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            b.set(i, i * 1.5f - 2);
        }
        for (int i = 0; i < 3; i++) {
            half.set(i, i * 0.25f + 1);
        }
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("layers.0.attn.wq", new SafeTensors.Tensor(new long[] {3, 4}, w));
        t.put("norm.bias", new SafeTensors.Tensor(new long[] {5}, b));
        t.put("h", new SafeTensors.Tensor(new long[] {3}, half));
        t.put("tokens", new SafeTensors.Tensor(new long[] {2, 2}, ids));
        return t;
    }

    @Test
    void roundTripIsBitIdentical() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, SafeTensors.Tensor> written = sample();
        SafeTensors.write(file, written, Map.of("step", "120", "format", "pt"));
        SafeTensors.Contents read = SafeTensors.read(file);
        assertEquals(List.copyOf(written.keySet()), List.copyOf(read.tensors().keySet()));
        assertEquals(Map.of("step", "120", "format", "pt"), read.metadata());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        for (String name : written.keySet()) {
            SafeTensors.Tensor a = written.get(name), b = read.tensors().get(name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertEquals(a.data().getClass(), b.data().getClass(), name);
            assertArrayEquals(a.data().segment().asSlice(0, a.data().byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    b.data().segment().asSlice(0, b.data().byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), name);
        }
    }

    /** What Python's safetensors reads: u64 LE header length, JSON header padded to 8, then the data ranges. */
    @Test
    void layoutIsTheSafetensorsFormat() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        Map<?, ?> json = (Map<?, ?>) Json.parse(header);
        Map<?, ?> wq = (Map<?, ?>) json.get("layers.0.attn.wq");
        assertEquals("F32", wq.get("dtype"));
        assertEquals(List.of(3L, 4L), wq.get("shape"));
        assertEquals(List.of(0L, 48L), wq.get("data_offsets"));
        assertEquals("BF16", ((Map<?, ?>) json.get("norm.bias")).get("dtype"));
        assertEquals(List.of(48L, 58L), ((Map<?, ?>) json.get("norm.bias")).get("data_offsets"));
        assertEquals(8 + headerLength + 48 + 10 + 6 + 16, bytes.length);
        float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(Float.MIN_VALUE, first, 0f);
    }

    @Test
    void corruptFilesGiveClearErrors() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

        expectCorrupt("tiny", new byte[] {1, 2, 3}, "fewer than the 8 of the header length");
        expectCorrupt("truncated", java.util.Arrays.copyOf(bytes, bytes.length - 3), "outside the");
        byte[] hugeHeader = bytes.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        expectCorrupt("huge", hugeHeader, "header length 1099511627776 does not fit");
        byte[] notJson = bytes.clone();
        notJson[8] = 'x';
        expectCorrupt("notjson", notJson, "header is not JSON");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        expectCorrupt("dtype", withHeader(bytes, headerLength, header.replace("\"F16\"", "\"F64\"")), "dtype F64");
        expectCorrupt("size", withHeader(bytes, headerLength, header.replace("[3,4]", "[3,5]")), "needs 60");
    }

    private static byte[] withHeader(byte[] bytes, long headerLength, String header) {
        byte[] out = bytes.clone();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        assertEquals(headerLength, h.length, "the edit keeps the header length");
        System.arraycopy(h, 0, out, 8, h.length);
        return out;
    }

    private void expectCorrupt(String name, byte[] content, String why) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        Files.write(file, content);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(why), e.getMessage());
    }

    /** A write that dies half-way leaves the previous checkpoint untouched and no stray temporary file. */
    @Test
    void aFailedWriteLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, sample(), Map.of("step", "1"));
        byte[] before = Files.readAllBytes(file);
        IOException crash = assertThrows(IOException.class, () -> AtomicFiles.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {42, 42, 42}));
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("cannot write " + file + ": disk full (simulated)", crash.getMessage(), "the file and the reason");
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        assertEquals("1", SafeTensors.read(file).metadata().get("step"));
    }

    @Test
    void jsonRoundTripsAndNamesParseErrors() {
        Object value = Json.parse("{\"a\": [1, 2.5, -3e2, true, false, null], \"s\": \"q\\\"\\\\\\n\\u0041\"}");
        assertEquals("{\"a\":[1,2.5,-300.0,true,false,null],\"s\":\"q\\\"\\\\\\nA\"}", Json.write(value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, }"));
        assertTrue(e.getMessage().contains("offset 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertTrue(e.getMessage().contains("duplicate key 'a'"), e.getMessage());
    }

    /** Two tensors of one size whose data_offsets are swapped: the ranges still tile the data, the checksums catch it. */
    @Test
    void checksumsCatchSwappedOffsets() throws IOException {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("a", new SafeTensors.Tensor(new long[] {4}, Check.random(4, 1, -1, 1)));
        t.put("b", new SafeTensors.Tensor(new long[] {4}, Check.random(4, 2, -1, 1)));
        Path good = dir.resolve("two.safetensors");
        SafeTensors.write(good, t, Map.of());
        byte[] bytes = Files.readAllBytes(good);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        String swapped = header.replace("[0,16]", "[X]").replace("[16,32]", "[0,16]").replace("[X]", "[16,32]");
        assertTrue(!swapped.equals(header), header);
        expectCorrupt("swapped", withHeader(bytes, headerLength, swapped), "tensor 'a' does not match its checksum");
        String overlapping = header.replace("[16,32]", "[0,16] "); // the space keeps the header's length
        expectCorrupt("overlapping", withHeader(bytes, headerLength, overlapping), "it overlaps another tensor");
    }

    /** What a file written before checksums holds still reads, and says it was not checked. */
    @Test
    void filesWithoutChecksumsStillRead() throws IOException {
        Path file = dir.resolve("old.safetensors");
        Files.write(file, legacyFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new float[] {1.5f, -2f}));
        try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
            assertTrue(!reader.checksummed());
            FloatArray w = new FloatArray(2);
            reader.readInto("w", w);
            assertEquals(-2f, w.get(1));
        }
        assertEquals(1.5f, ((FloatArray) SafeTensors.read(file).tensors().get("w").data()).get(0));
    }

    /** A safetensors file as older writers made it: no metadata, the header padded to 8 bytes, then the floats. */
    static byte[] legacyFile(String header, float[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** The same tensors and metadata give the same bytes, whatever order the metadata map iterates in. */
    @Test
    void theSameTensorsGiveTheSameBytes() throws IOException {
        Map<String, String> forward = new LinkedHashMap<>(), backward = new LinkedHashMap<>();
        for (String k : List.of("alpha", "beta", "gamma", "delta")) {
            forward.put(k, k.toUpperCase());
        }
        for (String k : List.of("delta", "gamma", "beta", "alpha")) {
            backward.put(k, k.toUpperCase());
        }
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        SafeTensors.write(a, sample(), forward);
        SafeTensors.write(b, sample(), backward);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void shapesWhoseSizeOverflowsAreRefused() throws IOException {
        Path file = dir.resolve("overflow.safetensors");
        Files.write(file, legacyFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
                new float[] {1, 2}));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file + " is not a valid safetensors file: tensor 'w' has shape [4294967296, 4294967296], "
                + "more bytes than a file can hold"), e.getMessage());
        Files.write(file, legacyFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}",
                new float[] {1, 2}));
        e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("more bytes than a file can hold"), e.getMessage());
    }

    /** A header nested deeper than any real one is refused in one line, not with a stack overflow. */
    @Test
    void deeplyNestedJsonIsRefused() throws IOException {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertEquals("JSON: nested deeper than 64 levels at offset 64", e.getMessage());
        assertEquals(List.of(List.of()), Json.parse("[[]]"), "shallow nesting parses");
        Path file = dir.resolve("deep.safetensors");
        Files.write(file, legacyFile("{\"w\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", new float[0]));
        expectCorruptFile(file, "nested deeper than 64 levels");
    }

    private static void expectCorruptFile(Path file, String why) {
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(why), e.getMessage());
    }
}

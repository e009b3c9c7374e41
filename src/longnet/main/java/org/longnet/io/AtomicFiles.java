package org.longnet.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash never leaves half of it: the bytes go to a temporary file in the
 * same folder, are forced to disk, and the temporary file is renamed over the target in one step.
 * Readers see the old file or the new one, nothing in between.
 */
public final class AtomicFiles {
    /** What writes the content. */
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through {@code content}. A failure of the file system (no space, no permission, a
     * read-only disk) is a {@link WriteFailedException} naming {@code target} and the reason.
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new WriteFailedException(target, FileErrors.reason(e), e);
        }
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // temporary files are private; the finished file is an ordinary one (rw-r--r--)
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically, so " + target
                        + " cannot be written safely", e);
            }
            try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
                folder.force(true); // the rename itself must survive a crash too
            } catch (IOException ignored) {
                // some file systems cannot sync a folder; the rename is still atomic
            }
        } catch (WriteFailedException e) {
            throw e;
        } catch (IOException e) {
            throw new WriteFailedException(target, FileErrors.reason(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

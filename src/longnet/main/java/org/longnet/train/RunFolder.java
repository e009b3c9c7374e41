package org.longnet.train;

import org.longnet.io.FileErrors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A training run's output folder, held by one run at a time: the lock file {@value #LOCK} is locked
 * ({@link FileChannel#tryLock}) for as long as the run lives, and holds the holder's PID so that a second
 * run is refused with a line that names it. The operating system releases the lock when the holder
 * exits, however it exits, so a killed run never leaves the folder locked.
 * <p>
 * While it holds the lock a run may remove what killed runs left behind (temporary checkpoint folders and
 * files, by the names only a run gives them), and, asked to, the files of the run the folder already holds.
 */
public final class RunFolder implements AutoCloseable {
    /** The lock file's name. */
    public static final String LOCK = "longnet.lock";
    /** The names of what a run writes into its folder, besides its step folders. */
    private static final String RUN_FILES = Checkpoint.LATEST + "|loss\\.csv|loss\\.png|sample\\.txt|passkey\\.csv|passkey\\.png|profile\\.csv|profile\\.png";
    /** What a killed run leaves: temporary checkpoint folders, and the temporary files of AtomicFiles for the run's files. */
    private static final String TEMPORARY = Checkpoint.TEMPORARY + "|\\.(" + RUN_FILES + ")\\d+\\.tmp";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Checks that {@code dir} (the {@code --out} option) is a folder that is or can be made and written, and
     * locks it for this process. Refuses, naming the folder: a file, a folder that cannot be created or written
     * (with the reason), and a folder another run holds (with its PID).
     */
    public static RunFolder lock(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder; give a folder for the run's checkpoints");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("--out " + dir + ": cannot create the folder: " + FileErrors.describe(e), e);
        }
        Path file = dir.resolve(LOCK);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("--out " + dir + " is not writable: cannot create " + file + ": " + FileErrors.reason(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this process holds it already, for another run
        } catch (IOException e) {
            channel.close();
            throw new IOException("--out " + dir + ": cannot lock " + file + ": " + FileErrors.reason(e), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new IllegalStateException("--out " + dir + " is in use by another run (" + holder + "); wait for it to end, or "
                    + "give another --out");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            throw new IOException("--out " + dir + " is not writable: cannot write " + file + ": " + FileErrors.reason(e), e);
        }
        return new RunFolder(dir, channel, lock);
    }

    /** "PID 1234" as the lock file says, or that it says nothing yet. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            channel.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? "PID " + pid : "its PID not yet written";
        } catch (IOException e) {
            return "PID unknown: " + FileErrors.reason(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** What of a run the folder holds already: its step folders and the files a run writes, by name. */
    public List<String> runFiles() throws IOException {
        return names(STEP_OR_RUN_FILE);
    }

    private static final String STEP_OR_RUN_FILE = Checkpoint.STEP + "|" + RUN_FILES;

    /**
     * Refuses a new run in a folder that holds one, saying how to go on: {@code --resume} to continue it,
     * another {@code --out}, or {@code overwriteOption} to delete it and start over.
     */
    public void refuseExistingRun(String overwriteOption) throws IOException {
        List<String> found = runFiles();
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("--out " + dir + " holds a run already (" + String.join(", ", found) + "); continue it "
                    + "with --resume, give another --out, or add " + overwriteOption + " to delete it and start over");
        }
    }

    /** Deletes the run the folder holds (its step folders and run files, nothing else); returns what was deleted. */
    public List<String> deleteRun() throws IOException {
        return delete(STEP_OR_RUN_FILE);
    }

    /** Deletes what killed runs left (temporary checkpoint folders and files); returns what was deleted. */
    public List<String> removeStaleTemporaries() throws IOException {
        return delete(TEMPORARY);
    }

    private List<String> delete(String pattern) throws IOException {
        List<String> deleted = names(pattern);
        for (String name : deleted) {
            Path p = dir.resolve(name);
            try {
                if (Files.isDirectory(p)) {
                    Checkpoint.deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new IOException("cannot delete " + p + ": " + FileErrors.reason(e), e);
            }
        }
        return deleted;
    }

    private List<String> names(String pattern) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches(pattern)).sorted().forEach(out::add);
        }
        return out;
    }

    /** Releases the lock; the lock file stays (removing it would let two runs lock two different files). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

package org.longnet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run folder: one run at a time, refused in one line naming the folder and the holder's PID; a new run
 * never lands silently on an old one; what killed runs leave is removed, and nothing else. (A second process
 * is refused the same way: the command-line tests start one.)
 */
class RunFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedWhileTheFirstHoldsTheFolder() throws IOException {
        Path out = dir.resolve("run");
        try (RunFolder first = RunFolder.lock(out)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(out.resolve(RunFolder.LOCK)), "the holder's PID");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.lock(out));
            assertEquals("--out " + out + " is in use by another run (PID " + ProcessHandle.current().pid() + "); wait for it to end, "
                    + "or give another --out", e.getMessage());
        }
        RunFolder.lock(out).close(); // released: the next run may take it
    }

    /** --out must be a folder that is or can be created; a file, or a path through a file, is refused before any work. */
    @Test
    void outMustBeAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "not a folder");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFolder.lock(file));
        assertEquals("--out " + file + " is a file, not a folder; give a folder for the run's checkpoints", e.getMessage());
        IOException io = assertThrows(IOException.class, () -> RunFolder.lock(file.resolve("run")));
        assertTrue(io.getMessage().startsWith("--out " + file.resolve("run") + ": cannot create the folder: "), io.getMessage());
    }

    @Test
    void aNewRunIsRefusedWhereARunIsAndOverwriteDeletesOnlyTheRun() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out.resolve("step-0000002"));
        Files.writeString(out.resolve("step-0000002/model.safetensors"), "weights");
        for (String f : List.of("latest", "loss.csv", "notes.txt")) {
            Files.writeString(out.resolve(f), f);
        }
        try (RunFolder folder = RunFolder.lock(out)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folder.refuseExistingRun("--overwrite"));
            assertEquals("--out " + out + " holds a run already (latest, loss.csv, step-0000002); continue it with --resume, give "
                    + "another --out, or add --overwrite to delete it and start over", e.getMessage());
            assertEquals(List.of("latest", "loss.csv", "step-0000002"), folder.deleteRun());
            folder.refuseExistingRun("--overwrite");
        }
        assertEquals(List.of(RunFolder.LOCK, "notes.txt"), list(out), "the user's own file stays");
    }

    /** Temporary checkpoint folders and files of killed runs go; look-alikes and finished checkpoints stay. */
    @Test
    void whatKilledRunsLeftIsRemoved() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out.resolve(".step-0000004-8812733021").resolve("sub"));
        Files.writeString(out.resolve(".step-0000004-8812733021/model.safetensors"), "half");
        Files.createDirectories(out.resolve("step-0000002"));
        for (String f : List.of(".latest123.tmp", ".loss.csv4567.tmp", ".step-notes", ".latest.tmp", ".mine123.tmp", "step-0000002.bak")) {
            Files.writeString(out.resolve(f), f);
        }
        try (RunFolder folder = RunFolder.lock(out)) {
            assertEquals(List.of(".latest123.tmp", ".loss.csv4567.tmp", ".step-0000004-8812733021"), folder.removeStaleTemporaries());
        }
        assertEquals(List.of(".latest.tmp", ".mine123.tmp", ".step-notes", RunFolder.LOCK, "step-0000002", "step-0000002.bak"), list(out));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

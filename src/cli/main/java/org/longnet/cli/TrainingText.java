package org.longnet.cli;

import org.longnet.data.BrownCorpus;
import org.longnet.data.ByteDataset;
import org.longnet.data.GutenbergCorpus;
import org.longnet.data.PassKeyTask;
import org.longnet.data.TextFingerprint;
import org.longnet.data.TrainingData;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text a language model is trained and measured on: a built-in corpus ({@value #BROWN}, the default, or
 * {@value #GUTENBERG}) or a {@code --data} file or folder, with its last {@link #VALIDATION_FRACTION} held out for validation.
 * A built-in name always means the corpus: a file of that name is given as {@code ./NAME}.
 */
final class TrainingText {
    /** The share of the text, at its end, held out for validation: 5%. */
    static final double VALIDATION_FRACTION = 0.05;
    /** The data name of the Brown corpus in a run's settings. */
    static final String BROWN = "brown";
    /** The data name of the Project Gutenberg books (NLTK's selection) in a run's settings. */
    static final String GUTENBERG = "gutenberg";

    private TrainingText() {
    }

    /** The text of {@code data}, a run's data name: a built-in corpus (fetched once into the data cache) or a path. */
    static ByteDataset load(String data) throws IOException {
        return ByteDataset.load(path(data), VALIDATION_FRACTION);
    }

    static Path path(String data) throws IOException {
        return switch (data) {
            case BROWN -> BrownCorpus.text(dataCache());
            case GUTENBERG -> GutenbergCorpus.text(dataCache());
            default -> Path.of(data);
        };
    }

    /** Whether {@code data} names a built-in corpus rather than a path. */
    static boolean builtIn(String data) {
        return data.equals(BROWN) || data.equals(GUTENBERG);
    }

    /** A run's data name for {@code --data}: a built-in corpus by its name, else the path made absolute (the run resumes from any folder). */
    static String dataName(Path given) {
        return builtIn(given.toString()) ? given.toString() : given.toAbsolutePath().normalize().toString();
    }

    /** For messages: "the Brown corpus", "the Gutenberg corpus" or "--data PATH". */
    private static String described(String data) {
        return switch (data) {
            case BROWN -> "the Brown corpus";
            case GUTENBERG -> "the Gutenberg corpus";
            default -> "--data " + data;
        };
    }

    /**
     * Refuses, before any model is made, text whose training or validation part cannot hold a window
     * of {@code seqLen} + 1 bytes, saying how much text the length needs and what would do instead.
     */
    static void checkWindow(ByteDataset text, String data, int seqLen) {
        long shorter = Math.min(text.trainBytes(), text.validationBytes());
        if (shorter >= seqLen + 1L) {
            return;
        }
        long has = text.trainBytes() + text.validationBytes();
        throw new IllegalArgumentException(String.format("--seq-len %d needs at least %,d bytes of text for training and validation "
                        + "(the last %.0f%% validates and must hold a window of %,d bytes); %s has %,d: give %s, or --seq-len %d or less",
                seqLen, bytesNeeded(seqLen), 100 * VALIDATION_FRACTION, seqLen + 1L,
                described(data), has, builtIn(data) ? "--data with a larger text file" : "a larger text file", Math.max(0, shorter - 1)));
    }

    /** The fewest bytes of text whose training and validation parts, split as {@link ByteDataset} splits, both hold a window. */
    static long bytesNeeded(int seqLen) {
        long window = seqLen + 1L;
        long n = (long) Math.ceil(window / VALIDATION_FRACTION);
        while (!holdsWindows(n, window)) {
            n++;
        }
        while (holdsWindows(n - 1, window)) {
            n--;
        }
        return n;
    }

    private static boolean holdsWindows(long bytes, long window) {
        long trainEnd = (long) (bytes * (1 - VALIDATION_FRACTION));
        return trainEnd >= window && bytes - trainEnd >= window;
    }

    /**
     * The data name a resumed run trains on: its own (a pass-key task, a built-in corpus, or a path that must
     * still exist), or {@code given} by {@code --resume --data}, for a run's text that moved.
     */
    static String resumedData(String saved, TextFingerprint recorded, Path given, Path stateFile) {
        if (PassKeyTask.forData(saved) != null) {
            if (given != null) {
                throw new IllegalArgumentException("--data " + given + ": the run of " + stateFile + " trains on " + saved
                        + ", which makes its own sequences; drop --data");
            }
            return saved;
        }
        if (given != null) {
            return dataName(given);
        }
        if (!builtIn(saved) && !Files.exists(Path.of(saved))) {
            throw new IllegalArgumentException("the run's text " + saved + (Path.of(saved).isAbsolute() ? ""
                    : " (a path relative to the folder the run was started in)") + " is missing; say where it is now with --resume --data "
                    + "FILE" + (recorded != null ? " (the same text: " + recorded + ")" : ""));
        }
        return saved;
    }

    /**
     * Refuses a resumed run's text that is not the one its checkpoint recorded (size and SHA-256); where the
     * checkpoint has no record (it is older than the record), a text given by --data is taken with a note.
     */
    static void checkSameText(TrainingData data, TextFingerprint recorded, String name, boolean given, PrintStream out) {
        TextFingerprint now = data.fingerprint();
        if (now == null) {
            return; // synthetic sequences: nothing to compare
        }
        if (recorded == null) {
            if (given) {
                out.println("note: the checkpoint records no size or hash of its text (it is older than that record), so --data "
                        + name + " cannot be checked to be the run's text");
            }
            return;
        }
        if (!now.equals(recorded)) {
            throw new IllegalArgumentException((given ? "--data " : "the run's text ") + name + " is not the text the run was trained on: "
                    + "it has " + now + ", the run's had " + recorded
                    + (given ? "" : "; restore that text, or give it with --resume --data FILE"));
        }
    }

    /** Where downloaded corpora are kept: -Dlongnet.dataCache, else ~/.cache/longnet/data. */
    static Path dataCache() {
        String configured = System.getProperty("longnet.dataCache");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "longnet", "data");
    }
}

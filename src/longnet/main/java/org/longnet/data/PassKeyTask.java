package org.longnet.data;

import org.longnet.engine.api.IntArray;
import org.longnet.model.CrossEntropyKernels;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Synthetic pass-key retrieval (as in Mohtashami and Jaggi, 2023): a five-digit number is hidden
 * in filler text and asked for at the very end of the sequence, so answering means attending back
 * over the whole distance. Only the answer's digits have a loss (the other targets are
 * {@link CrossEntropyKernels#IGNORED}): the filler is trivial and the hidden digits are random,
 * so neither would teach retrieval. The distance is counted in bytes (tokens) from the hidden key's
 * first digit to the answer's first digit.
 * <p>
 * Training sequences ask more often than test ones. With the key at one question and five
 * supervised bytes per sequence, a model trained from scratch does not find the copying mechanism:
 * its loss stays at the digits' prior (benchmarks/RESULTS.md). So a
 * training sequence asks {@code questions} times: the first question comes at a log-uniform
 * distance after the key (short distances bootstrap the mechanism, long ones extend it), the
 * others spread evenly up to the end of the sequence or each about twice as far from the key as
 * the one before ({@link Spacing}), and every answer has a loss. Test sequences
 * ({@link #example}) ask once, at the end, exactly as the task is defined.
 * <pre>
 * There is a pass key hidden in this text. Find it and remember it. The grass is green. The sky ...
 * ... The pass key is 40721. Remember it. 40721 is the pass key. ... The sun is yellow. Here we go.
 * ... What is the pass key? The pass key is 40721
 * </pre>
 */
public final class PassKeyTask implements TrainingData {
    /** The name that selects this task where a data path would go (--task passkey, and in checkpoints). */
    public static final String NAME = "passkey";
    public static final int DIGITS = 5;
    static final byte[] INTRO = bytes("There is a pass key hidden in this text. Find it and remember it. ");
    static final byte[] FILLER = bytes("The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again. ");
    static final byte[] KEY_PREFIX = bytes("The pass key is ");
    static final byte[] QUESTION = bytes("What is the pass key? The pass key is ");

    /** Questions per training sequence. */
    public static final int TRAINING_QUESTIONS = 16;

    /**
     * A training sequence's final answer ends 0 to {@code FINAL_SHIFT - 1} bytes before the sequence does (drawn
     * uniformly; filler after it). In a pair of dilation r the heads that read a row are fixed by the row modulo r
     * (one head per row in the passkey preset, six heads and r = 6), and the longest retrievals are trained at the
     * final question: asked always at the very end, they would fall on the same rows modulo r at every step, and the
     * heads that a test of another length needs would not learn them. 12 is a multiple of every dilation the presets
     * use (1, 2, 4, 6, 12), so each offset modulo r is drawn equally often.
     */
    public static final int FINAL_SHIFT = 12;

    /** One sequence ({@code seqLen + 1} bytes), where its last answer starts, and the key. */
    public record Example(byte[] text, int answerStart, String key) {
    }

    private final int questions;
    private final Spacing spacing;

    /**
     * The data name a training run on this task keeps in its settings and checkpoints ({@value #NAME} with
     * even spacing, as runs before {@link Spacing#OCTAVES} were), so that {@code --resume} spaces its questions the same way.
     */
    public static String dataName(Spacing spacing) {
        return spacing == Spacing.EVEN ? NAME : NAME + "-" + spacing.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The task a run's data name stands for, or null where it names no pass-key task (a text file). */
    public static PassKeyTask forData(String data) {
        for (Spacing spacing : Spacing.values()) {
            if (data.equals(dataName(spacing))) {
                return new PassKeyTask(spacing);
            }
        }
        return null;
    }

    /** Training sequences with {@link #TRAINING_QUESTIONS} questions each, spaced {@code spacing}. */
    public PassKeyTask(Spacing spacing) {
        this(TRAINING_QUESTIONS, spacing);
    }

    /** Training sequences that ask for the key {@code questions} times (at most; fewer where they do not fit). */
    public PassKeyTask(int questions, Spacing spacing) {
        if (questions < 1) {
            throw new IllegalArgumentException("pass-key questions per sequence must be >= 1, was " + questions);
        }
        this.questions = questions;
        this.spacing = spacing;
    }

    /** Refuses a training length: its sequences also hold up to {@code FINAL_SHIFT - 1} bytes of filler after the final answer. */
    @Override
    public void checkWindow(int seqLen) {
        checkRoom("--seq-len", seqLen, FINAL_SHIFT - 1);
    }

    /** Refuses a test length ({@link #example(int, int, SplittableRandom)} asks at the very end). */
    public static void checkTestLength(int seqLen) {
        checkRoom("--lengths", seqLen, 0);
    }

    private static void checkRoom(String parameter, int seqLen, int after) {
        int max = maxDistance(seqLen) - after;
        if (max < minDistance()) {
            throw new IllegalArgumentException(parameter + " " + seqLen + " is too short for the pass-key task: a sequence needs at least "
                    + (seqLen + minDistance() - max) + " bytes to hold the introduction, the key and the question"
                    + (after > 0 ? ", and " + after + " bytes of filler after the answer" : ""));
        }
    }

    @Override
    public String describe() {
        return "synthetic pass-key retrieval (a " + DIGITS + "-digit key hidden in filler text, asked for at the end; loss on the answer only)";
    }

    /** The shortest distance: the hidden sentence must end before the question starts. */
    public static int minDistance() {
        return keySentence("00000").length - KEY_PREFIX.length + QUESTION.length;
    }

    /** The longest distance in a sequence of {@code seqLen}: the hidden sentence right after the introduction. */
    public static int maxDistance(int seqLen) {
        return answerStart(seqLen) - KEY_PREFIX.length - INTRO.length;
    }

    @Override
    public void batch(IntArray inputs, IntArray targets, int batch, int seqLen, long step, long seed, boolean validation) {
        if (inputs.getSize() != (long) batch * seqLen || targets.getSize() != (long) batch * seqLen) {
            throw new IllegalArgumentException("inputs and targets must hold batch * seqLen = " + (long) batch * seqLen + " tokens");
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 2 + (validation ? 1 : 0));
        for (int b = 0; b < batch; b++) {
            long at = (long) b * seqLen;
            int shift = random.nextInt(FINAL_SHIFT);
            // log-uniform: as many keys within 100 to 1,000 bytes of their question as within 10,000 to 100,000
            int max = maxDistance(seqLen) - shift;
            double lo = Math.log(minDistance()), hi = Math.log(max + 1);
            int first = (int) Math.min(max, Math.exp(lo + (hi - lo) * random.nextDouble()));
            int last = spacing == Spacing.FAR ? Spacing.farDistance(max, random)
                    : questions == 1 ? first : random.nextInt(spacing.finalFrom(first, max, random), max + 1);
            Example e = example(seqLen, last, shift, random);
            fill(e, inputs, targets, at);
            if (spacing != Spacing.FAR) {
                askAgain(e, first, last, random, inputs, targets, at);
            }
        }
    }

    /** Where a training sequence's questions after the first go. */
    public enum Spacing {
        /**
         * Evenly from the first to the end: most answers can copy the one before, a few hundred bytes back, so
         * the copying is learnt fast, but mostly within the dense pair's reach: a low training loss that says
         * little about retrieval from further away.
         */
        EVEN,
        /**
         * Each 1.5 to 2.5 times as far from the key as the one before, the last at most two thirds as far as
         * the final one: the nearest earlier copy of the digits is then always about as far back as the key
         * was for the question before, so every answer is a retrieval over its own octave of distances.
         * Half the sequences also put their final question in the last octave of distances (the key in the
         * sequence's first half): in the passkey preset only the longest pair reaches that far, through one
         * head per query, and with the final distance drawn only from [first, max] about half the sequences
         * trained it.
         */
        OCTAVES,
        /**
         * One question, the key in the last two octaves of distances (more than a quarter of the longest back,
         * log-uniform): every answer with a loss is a retrieval through the longest pair. Under {@link #OCTAVES} such an
         * answer is one of up to 16 in a sequence, so it gets a small share of the loss; a last phase with this spacing
         * trains the far retrievals (and each head that reads an answer's rows, {@link PassKeyTask#FINAL_SHIFT}) with all of it.
         * Nothing here trains the near octaves, which an {@link #OCTAVES} phase after it keeps.
         */
        FAR;

        /** The shortest final distance for a sequence whose first question is {@code first} from the key, of at most {@code max}. */
        int finalFrom(int first, int max, SplittableRandom random) {
            return this == OCTAVES && random.nextBoolean() ? Math.max(first, max / 2 + 1) : first;
        }

        /** A {@link #FAR} key's distance: log-uniform in (max / 4, max], and at least {@link PassKeyTask#minDistance()}. */
        static int farDistance(int max, SplittableRandom random) {
            int from = Math.max(minDistance(), max / 4 + 1);
            double lo = Math.log(from), hi = Math.log(max + 1);
            return (int) Math.max(from, Math.min(max, Math.exp(lo + (hi - lo) * random.nextDouble())));
        }
    }

    /** Asks for the key of {@code e} (hidden {@code last} bytes before the final answer) also {@code first} bytes after it and as {@link #spacing} says. */
    private void askAgain(Example e, int first, int last, SplittableRandom random, IntArray inputs, IntArray targets, long at) {
        byte[] asked = concat(concat(QUESTION, bytes(e.key())), bytes(". "));
        int key = e.answerStart() - last; // the hidden key's first digit
        if (spacing == Spacing.OCTAVES) {
            int count = 1;
            for (double distance = first; count < questions && distance <= last * 2.0 / 3 && last - distance >= asked.length;
                 distance = Math.max(distance * random.nextDouble(1.5, 2.5), distance + asked.length)) {
                ask(asked, key + (int) distance - QUESTION.length, inputs, targets, at);
                count++;
            }
            return;
        }
        int from = key + first - QUESTION.length, end = key + last - QUESTION.length; // the first and the final question's starts
        int slots = Math.min(questions - 1, (end - from) / asked.length);
        for (int i = 0; i < slots; i++) {
            int slot = (end - from) / slots;
            ask(asked, i == 0 ? from : from + i * slot + random.nextInt(slot - asked.length + 1), inputs, targets, at);
        }
    }

    /** Writes the question and answer {@code asked} at byte {@code start} of the text, with a loss on the answer's digits. */
    private static void ask(byte[] asked, int start, IntArray inputs, IntArray targets, long at) {
        for (int j = 0; j < asked.length; j++) {
            int t = start + j; // byte t of the text: input t, and target of input t - 1
            inputs.set(at + t, asked[j] & 0xFF);
            boolean digit = j >= QUESTION.length && j < QUESTION.length + DIGITS;
            targets.set(at + t - 1, digit ? asked[j] & 0xFF : CrossEntropyKernels.IGNORED);
        }
    }

    /** A test sequence of {@code seqLen} inputs with the key at {@code distance}, asked at the very end; key and filler phase drawn from {@code random}. */
    public static Example example(int seqLen, int distance, SplittableRandom random) {
        return example(seqLen, distance, 0, random);
    }

    /** As {@link #example(int, int, SplittableRandom)}, with the answer ending {@code shift} bytes before the sequence's end. */
    static Example example(int seqLen, int distance, int shift, SplittableRandom random) {
        if (shift < 0 || shift >= FINAL_SHIFT) {
            throw new IllegalArgumentException("pass-key shift must be in [0, " + (FINAL_SHIFT - 1) + "], was " + shift);
        }
        if (distance < minDistance() || distance > maxDistance(seqLen) - shift) {
            throw new IllegalArgumentException("pass-key distance must be in [" + minDistance() + ", " + (maxDistance(seqLen) - shift)
                    + "] for --seq-len " + seqLen + ", was " + distance);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < DIGITS; i++) {
            key.append((char) ('0' + random.nextInt(10)));
        }
        byte[] text = new byte[seqLen + 1];
        int phase = random.nextInt(FILLER.length);
        for (int i = 0; i < text.length; i++) {
            text[i] = FILLER[(i + phase) % FILLER.length];
        }
        int answer = answerStart(seqLen) - shift;
        System.arraycopy(INTRO, 0, text, 0, INTRO.length);
        byte[] hidden = keySentence(key.toString());
        System.arraycopy(hidden, 0, text, answer - distance - KEY_PREFIX.length, hidden.length);
        byte[] question = concat(QUESTION, bytes(key.toString()));
        System.arraycopy(question, 0, text, answer - QUESTION.length, question.length);
        return new Example(text, answer, key.toString());
    }

    /** Inputs are text[0, seqLen), targets text[1, seqLen] where they are answer digits, IGNORED elsewhere. */
    public static void fill(Example e, IntArray inputs, IntArray targets, long at) {
        int seqLen = e.text().length - 1;
        for (int t = 0; t < seqLen; t++) {
            inputs.set(at + t, e.text()[t] & 0xFF);
            boolean answer = t + 1 >= e.answerStart() && t + 1 < e.answerStart() + DIGITS;
            targets.set(at + t, answer ? e.text()[t + 1] & 0xFF : CrossEntropyKernels.IGNORED);
        }
    }

    /** The answer's first digit is the sequence's (seqLen + 1)-byte text's DIGITS-th byte from the end. */
    private static int answerStart(int seqLen) {
        return seqLen + 1 - DIGITS;
    }

    private static byte[] keySentence(String key) {
        return bytes("The pass key is " + key + ". Remember it. " + key + " is the pass key. ");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

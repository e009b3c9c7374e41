package org.longnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.longnet.engine.api.IntArray;
import org.longnet.model.CrossEntropyKernels;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pass-key sequences: the key where the distance says, the question at the end, loss on the answer only. */
class PassKeyTaskTest {
    @Test
    void hidesTheKeyAtTheDistanceAndAsksForItAtTheEnd() {
        int seqLen = 777;
        for (int distance : new int[] {PassKeyTask.minDistance(), 300, PassKeyTask.maxDistance(seqLen)}) {
            PassKeyTask.Example e = PassKeyTask.example(seqLen, distance, new SplittableRandom(distance));
            String text = new String(e.text(), StandardCharsets.US_ASCII);
            assertEquals(seqLen + 1, text.length());
            assertTrue(text.startsWith("There is a pass key hidden in this text."), text.substring(0, 60));
            assertTrue(text.endsWith("What is the pass key? The pass key is " + e.key()), text.substring(seqLen - 60));
            assertEquals(e.key(), text.substring(e.answerStart(), e.answerStart() + PassKeyTask.DIGITS));
            int hidden = e.answerStart() - distance;
            String sentence = "The pass key is " + e.key() + ". Remember it. " + e.key() + " is the pass key. ";
            assertEquals(sentence, text.substring(hidden - 16, hidden - 16 + sentence.length()));
            // the key appears exactly twice in the hidden sentence and once as the answer
            assertEquals(3, text.split(e.key(), -1).length - 1, text);
        }
    }

    /**
     * Training sequences ask several times: every answer's digits (and nothing else) have a loss,
     * each answer follows the question and is the key that is hidden before the first question;
     * with octave spacing each is at least 1.5 times as far from the key as the one before.
     */
    @ParameterizedTest
    @EnumSource(value = PassKeyTask.Spacing.class, names = {"EVEN", "OCTAVES"})
    void trainingSequencesAskSeveralTimesWithALossOnEveryAnswer(PassKeyTask.Spacing spacing) {
        int seqLen = 3000, batch = 8;
        IntArray inputs = new IntArray((long) batch * seqLen), targets = new IntArray((long) batch * seqLen);
        new PassKeyTask(6, spacing).batch(inputs, targets, batch, seqLen, 3, 1, false);
        int most = 0;
        for (int b = 0; b < batch; b++) {
            StringBuilder in = new StringBuilder();
            for (int t = 0; t < seqLen; t++) {
                in.append((char) inputs.get((long) b * seqLen + t));
            }
            String text = in.toString();
            int hidden = text.indexOf("The pass key is ");
            String key = text.substring(hidden + 16, hidden + 21);
            assertTrue(key.matches("[0-9]{5}"), key);
            int asked = 0, previous = 0;
            for (int q = text.indexOf("What is the pass key? The pass key is "); q >= 0;
                 q = text.indexOf("What is the pass key? The pass key is ", q + 1)) {
                assertTrue(q > hidden, "questions come after the key");
                int answer = q + 38;
                int distance = answer - (hidden + 16);
                assertTrue(spacing == PassKeyTask.Spacing.EVEN ? distance >= previous + 43 : distance >= 1.5 * previous - 1,
                        "answer " + asked + " at " + distance + " after the key, the one before at " + previous
                        + ": the nearest earlier copy of the digits must be about as far as the key was for the one before");
                previous = distance;
                for (int i = 0; i < PassKeyTask.DIGITS; i++) {
                    assertEquals(key.charAt(i), targets.get((long) b * seqLen + answer - 1 + i), "digit " + i + " of answer " + asked);
                }
                asked++;
            }
            int withLoss = 0;
            for (int t = 0; t < seqLen; t++) {
                withLoss += targets.get((long) b * seqLen + t) >= 0 ? 1 : 0;
            }
            assertEquals(asked * PassKeyTask.DIGITS, withLoss, "only answer digits have a loss");
            assertTrue(asked >= 1 && asked <= 6, "asked " + asked + " times");
            most = Math.max(most, asked);
        }
        assertTrue(most > 1, "no training sequence asked more than once");
    }

    /**
     * Octave spacing trains the last octave of distances, the one only the longest pair reaches, more often than
     * even spacing (expected: half the sequences more than even spacing's share there, 2/3 at this length).
     */
    @Test
    void octaveSpacingAsksFromTheLastOctaveMoreOften() {
        double even = lastOctaveShare(PassKeyTask.Spacing.EVEN), octaves = lastOctaveShare(PassKeyTask.Spacing.OCTAVES);
        assertTrue(even > 0.5 && even < 0.8, "even spacing: " + even + " of the final questions in the last octave");
        assertTrue(octaves > even + 0.1, "octave spacing: " + octaves + " of the final questions in the last octave, even: " + even);
    }

    /**
     * Far spacing asks once per sequence, with the key in the last two octaves of distances (more than max / 4 back), and
     * draws from both of them about equally (log-uniform); only that answer's digits have a loss, and they are the key.
     */
    @Test
    void farSpacingAsksOnceFromTheLastTwoOctaves() {
        int seqLen = 4000, batch = 400, max = PassKeyTask.maxDistance(seqLen);
        IntArray inputs = new IntArray((long) batch * seqLen), targets = new IntArray((long) batch * seqLen);
        new PassKeyTask(PassKeyTask.Spacing.FAR).batch(inputs, targets, batch, seqLen, 7, 3, false);
        int lastOctave = 0;
        for (int b = 0; b < batch; b++) {
            StringBuilder in = new StringBuilder();
            for (int t = 0; t < seqLen; t++) {
                in.append((char) inputs.get((long) b * seqLen + t));
            }
            String question = "What is the pass key? The pass key is ";
            int key = in.indexOf("The pass key is ") + 16, answer = in.indexOf(question) + question.length();
            assertEquals(answer - question.length(), in.lastIndexOf(question), "one question per sequence");
            int distance = answer - key;
            // the final answer ends up to FINAL_SHIFT - 1 bytes early, which shortens the longest distance as much
            int shortest = (max - PassKeyTask.FINAL_SHIFT + 1) / 4;
            assertTrue(distance > shortest && distance <= max, "distance " + distance + " outside (" + shortest + ", " + max + "]");
            lastOctave += distance > max / 2 ? 1 : 0;
            StringBuilder digits = new StringBuilder();
            for (int t = 0; t < seqLen; t++) {
                int target = targets.get((long) b * seqLen + t);
                if (target >= 0) {
                    digits.append((char) target);
                }
            }
            assertEquals(in.substring(key, key + PassKeyTask.DIGITS), digits.toString(), "the loss is on the answer's digits alone");
        }
        assertTrue(lastOctave > 0.4 * batch && lastOctave < 0.6 * batch, lastOctave + " of " + batch + " keys in the last octave");
    }

    private static double lastOctaveShare(PassKeyTask.Spacing spacing) {
        int seqLen = 4000, batch = 400, max = PassKeyTask.maxDistance(seqLen);
        IntArray inputs = new IntArray((long) batch * seqLen), targets = new IntArray((long) batch * seqLen);
        new PassKeyTask(spacing).batch(inputs, targets, batch, seqLen, 7, 3, false);
        int lastOctave = 0;
        for (int b = 0; b < batch; b++) {
            StringBuilder in = new StringBuilder();
            for (int t = 0; t < seqLen; t++) {
                in.append((char) inputs.get((long) b * seqLen + t));
            }
            int key = in.indexOf("The pass key is ") + 16, finalAnswer = in.lastIndexOf("What is the pass key? The pass key is ") + 38;
            lastOctave += finalAnswer - key > max / 2 ? 1 : 0;
        }
        return (double) lastOctave / batch;
    }

    /** A run's data name gives back its task, spaced the same way; older runs' name is even spacing's. */
    @Test
    void dataNamesStandForTheirSpacing() {
        assertEquals(PassKeyTask.NAME, PassKeyTask.dataName(PassKeyTask.Spacing.EVEN));
        assertEquals("passkey-octaves", PassKeyTask.dataName(PassKeyTask.Spacing.OCTAVES));
        assertEquals("passkey-far", PassKeyTask.dataName(PassKeyTask.Spacing.FAR));
        for (PassKeyTask.Spacing spacing : PassKeyTask.Spacing.values()) {
            IntArray a = new IntArray(2000), b = new IntArray(2000), ta = new IntArray(2000), tb = new IntArray(2000);
            PassKeyTask.forData(PassKeyTask.dataName(spacing)).batch(a, ta, 1, 2000, 4, 2, false);
            new PassKeyTask(spacing).batch(b, tb, 1, 2000, 4, 2, false);
            assertArrayEquals(ints(a), ints(b), spacing.name());
            assertArrayEquals(ints(ta), ints(tb), spacing.name());
        }
        assertEquals(null, PassKeyTask.forData("brown"));
    }

    /**
     * One question: the five answer digits are the only targets, each the next input, and the answer ends 0 to
     * FINAL_SHIFT - 1 bytes before the sequence, every one of those shifts over a batch (so the final answer's rows
     * fall on every offset of each dilation that divides FINAL_SHIFT).
     */
    @Test
    void onlyTheAnswerDigitsHaveALossAndTheFinalAnswerEndsAtEveryShift() {
        int seqLen = 400, batch = 200;
        IntArray inputs = new IntArray((long) batch * seqLen), targets = new IntArray((long) batch * seqLen);
        new PassKeyTask(1, PassKeyTask.Spacing.EVEN).batch(inputs, targets, batch, seqLen, 7, 1, false);
        java.util.Set<Integer> shifts = new java.util.TreeSet<>();
        for (int b = 0; b < batch; b++) {
            StringBuilder answer = new StringBuilder();
            int first = -1;
            for (int t = 0; t < seqLen; t++) {
                long i = (long) b * seqLen + t;
                int target = targets.get(i);
                if (target != CrossEntropyKernels.IGNORED) {
                    first = first < 0 ? t : first;
                    assertEquals(first + answer.length(), t, "the digits with a loss are consecutive");
                    answer.append((char) target);
                    if (t + 1 < seqLen) {
                        assertEquals(target, inputs.get(i + 1), "targets are the inputs one byte ahead");
                    }
                }
            }
            assertTrue(answer.toString().matches("[0-9]{5}"), answer.toString());
            shifts.add(seqLen - PassKeyTask.DIGITS - first);
        }
        java.util.Set<Integer> every = new java.util.TreeSet<>();
        for (int shift = 0; shift < PassKeyTask.FINAL_SHIFT; shift++) {
            every.add(shift);
        }
        assertEquals(every, shifts, "the final answer's distances from the sequence's end");
    }

    @Test
    void batchesDependOnlyOnSeedAndStepAndValidationDiffers() {
        int seqLen = 300;
        IntArray a = new IntArray(seqLen), b = new IntArray(seqLen), ta = new IntArray(seqLen), tb = new IntArray(seqLen);
        PassKeyTask task = new PassKeyTask(PassKeyTask.Spacing.OCTAVES);
        task.batch(a, ta, 1, seqLen, 5, 9, false);
        task.batch(b, tb, 1, seqLen, 5, 9, false);
        assertArrayEquals(ints(a), ints(b));
        task.batch(b, tb, 1, seqLen, 5, 9, true);
        assertFalse(java.util.Arrays.equals(ints(a), ints(b)), "validation sequences must differ from training ones");
    }

    @Test
    void refusesWhatDoesNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PassKeyTask(PassKeyTask.Spacing.EVEN).checkWindow(100));
        assertTrue(e.getMessage().contains("--seq-len 100 is too short for the pass-key task"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PassKeyTask.example(500, 10, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("pass-key distance must be in [" + PassKeyTask.minDistance()), e.getMessage());
        // The shortest test length holds one test sequence, but not the filler a training sequence may put after its answer.
        int shortest = 1;
        while (PassKeyTask.maxDistance(shortest) < PassKeyTask.minDistance()) {
            shortest++;
        }
        PassKeyTask.checkTestLength(shortest);
        PassKeyTask.example(shortest, PassKeyTask.minDistance(), new SplittableRandom(2));
        int test = shortest;
        e = assertThrows(IllegalArgumentException.class, () -> PassKeyTask.checkTestLength(test - 1));
        assertTrue(e.getMessage().startsWith("--lengths " + (test - 1) + " is too short for the pass-key task: a sequence needs at least "
                + test + " bytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PassKeyTask(PassKeyTask.Spacing.OCTAVES).checkWindow(test));
        assertTrue(e.getMessage().contains("needs at least " + (test + PassKeyTask.FINAL_SHIFT - 1) + " bytes")
                && e.getMessage().endsWith(", and " + (PassKeyTask.FINAL_SHIFT - 1) + " bytes of filler after the answer"), e.getMessage());
        new PassKeyTask(PassKeyTask.Spacing.OCTAVES).checkWindow(test + PassKeyTask.FINAL_SHIFT - 1);
    }

    private static int[] ints(IntArray a) {
        int[] out = new int[(int) a.getSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }
}

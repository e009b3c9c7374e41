package org.longnet.train;

import org.junit.jupiter.api.Test;
import org.longnet.attention.DilatedPair;
import org.longnet.data.PassKeyTask;
import org.longnet.engine.api.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassKeyAccuracyTest {
    @Test
    void binsAreOctavesCoveringEveryDistanceOnce() {
        assertEquals(List.of(new PassKeyAccuracy.Bin(PassKeyTask.minDistance(), 128), new PassKeyAccuracy.Bin(129, 256),
                new PassKeyAccuracy.Bin(257, 512), new PassKeyAccuracy.Bin(513, PassKeyTask.maxDistance(1024))), PassKeyAccuracy.bins(1024));
        for (int seqLen : new int[] {200, 1024, 8192, 67_584}) {
            List<PassKeyAccuracy.Bin> bins = PassKeyAccuracy.bins(seqLen);
            assertEquals(PassKeyTask.minDistance(), bins.get(0).from());
            assertEquals(PassKeyTask.maxDistance(seqLen), bins.get(bins.size() - 1).to());
            for (int i = 1; i < bins.size(); i++) {
                assertEquals(bins.get(i - 1).to() + 1, bins.get(i).from(), "bins of " + seqLen + " leave a gap or overlap");
                assertTrue(bins.get(i).to() <= 2 * bins.get(i).from(), "bin " + bins.get(i) + " is wider than an octave");
            }
        }
    }

    @Test
    void theLastTwoBinsTakeTheFarTrials() {
        PassKeyAccuracy.Trials trials = PassKeyAccuracy.trials(100, 25);
        int bins = PassKeyAccuracy.bins(262_144).size();
        for (int b = 0; b < bins; b++) {
            assertEquals(b >= bins - 2 ? 100 : 25, trials.of(b, bins), "bin " + b + " of " + bins);
        }
        assertEquals(100, trials.of(0, 1), "a single bin is a far one");
        assertThrows(IllegalArgumentException.class, () -> PassKeyAccuracy.trials(100, 0));
    }

    @Test
    void drawsFillTheBin() {
        PassKeyAccuracy.Bin bin = new PassKeyAccuracy.Bin(1025, 2048);
        SplittableRandom random = new SplittableRandom(3);
        int low = Integer.MAX_VALUE, high = 0;
        for (int i = 0; i < 10_000; i++) {
            int d = bin.draw(random);
            low = Math.min(low, d);
            high = Math.max(high, d);
        }
        assertEquals(1025, low);
        assertEquals(2048, high);
    }

    /**
     * The interval's bounds are the rates p0 at which the observed rate lies exactly z standard errors away, (p - p0)^2 = z^2 p0 (1 - p0) / n
     * (the score test Wilson inverts), and they bracket the observed rate; all retrieved or none reach 1 or 0.
     */
    @Test
    void intervalIsTheScoreTestsInversion() {
        double z = 1.959963984540054;
        for (int[] kn : new int[][] {{90, 100}, {94, 100}, {195, 200}, {3, 25}, {25, 25}, {0, 10}, {1, 1}, {70, 100}}) {
            PassKeyAccuracy.Point point = new PassKeyAccuracy.Point(new PassKeyAccuracy.Bin(1, 2), kn[0], kn[1]);
            double[] interval = point.interval95();
            double p = point.accuracy(), n = kn[1];
            assertTrue(interval[0] <= p && p <= interval[1], kn[0] + "/" + kn[1] + ": " + interval[0] + "-" + interval[1]);
            for (double bound : interval) {
                assertEquals(z * z * bound * (1 - bound) / n, (p - bound) * (p - bound), 1e-12, kn[0] + "/" + kn[1] + " at " + bound);
            }
        }
        PassKeyAccuracy.Point ninety = new PassKeyAccuracy.Point(new PassKeyAccuracy.Bin(1, 2), 90, 100);
        assertEquals(0.826, ninety.interval95()[0], 5e-4, "90 of 100, low");
        assertEquals(0.945, ninety.interval95()[1], 5e-4, "90 of 100, high");
    }

    /** Logits whose arg-max is the key's digit at every answer row but the ones in {@code wrongMask}, where it is the next digit. */
    @Test
    void wrongDigitsNamesEachMissedAnswerPosition() {
        int seqLen = 300, vocab = 256;
        PassKeyTask.Example e = PassKeyTask.example(seqLen, 150, new SplittableRandom(5));
        for (int wrongMask : new int[] {0, 0b00001, 0b01010, 0b10000, 0b11111}) {
            FloatArray logits = new FloatArray((long) seqLen * vocab);
            for (int i = 0; i < PassKeyTask.DIGITS; i++) {
                char digit = e.key().charAt(i);
                int argMax = (wrongMask >> i & 1) == 1 ? '0' + (digit - '0' + 1) % 10 : digit;
                logits.set((e.answerStart() - 1L + i) * vocab + argMax, 5f);
                logits.set((e.answerStart() - 1L + i) * vocab + 'x', 4f); // a runner-up that must not win
            }
            assertEquals(wrongMask, PassKeyAccuracy.wrongDigits(logits, e, vocab), "mask " + Integer.toBinaryString(wrongMask));
        }
        assertEquals("wrong, by answer digit (predicted at rows 131067 to 131071): 0 7 0 0 1",
                PassKeyAccuracy.wrongDigitsLine(new int[] {0, 7, 0, 0, 1}, 131_067));
        // Head j reads the rows at offset j mod r of each segment: one head a row at 128K in the passkey preset's longest pair,
        // two where there are twice as many heads as the dilation, none for offsets past the last head.
        assertEquals("heads of the pair (w=262144, r=6) that read them: 3 4 5 0 1",
                PassKeyAccuracy.readingHeads(new DilatedPair(262_144, 6), 131_072, 6, 131_067, 5));
        assertEquals("heads of the pair (w=8, r=2) that read them: 1/3 0/2", PassKeyAccuracy.readingHeads(new DilatedPair(8, 2), 16, 4, 9, 2));
        assertEquals("heads of the pair (w=16, r=4) that read them: 0 1 none", PassKeyAccuracy.readingHeads(new DilatedPair(16, 4), 16, 2, 4, 3));
    }
}

package org.longnet.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blockwise reading's windows: every byte scored once, each with half a window to a whole one of context after the first window. */
class BlockwiseWindowsTest {
    @Test
    void everyByteIsScoredOnceWithHalfAWindowOfContextOrMore() {
        for (int trained : new int[] {2, 3, 7, 32, 33}) {
            for (int length = trained + 1; length <= 4 * trained + 3; length++) {
                BlockwiseWindows w = new BlockwiseWindows(length, trained);
                String where = "length " + length + ", trained " + trained;
                int[] scored = new int[length];
                for (int k = 0; k < w.count(); k++) {
                    int start = w.start(k);
                    assertTrue(start >= 0 && start + trained <= length, where + ": window " + k + " at " + start);
                    assertTrue(k == 0 || start > w.start(k - 1), where + ": windows move forward");
                    for (int p = w.scoredFrom(k); p < trained; p++) {
                        int x = start + p;
                        scored[x]++;
                        int context = p; // the bytes before x in its window
                        assertTrue(context >= Math.min(x, trained - trained / 2), where + ": byte " + x + " sees " + context + " bytes");
                    }
                }
                assertEquals(length - trained, w.start(w.count() - 1), where + ": the last window ends with the stretch");
                for (int x = 0; x < length; x++) {
                    assertEquals(1, scored[x], where + ": byte " + x + " scored once");
                }
            }
        }
    }

    /** 64 bytes read by a model of 32: windows at 0, 16 and 32, the last two scoring their second halves. */
    @Test
    void twiceTheTrainedLengthTakesThreeWindows() {
        BlockwiseWindows w = new BlockwiseWindows(64, 32);
        assertEquals(3, w.count());
        assertEquals(java.util.List.of(0, 16, 32), java.util.List.of(w.start(0), w.start(1), w.start(2)));
        assertEquals(java.util.List.of(0, 16, 16), java.util.List.of(w.scoredFrom(0), w.scoredFrom(1), w.scoredFrom(2)));
    }

    @Test
    void onlyLongerLengthsAreReadBlockwise() {
        assertThrows(IllegalArgumentException.class, () -> new BlockwiseWindows(32, 32));
        assertThrows(IllegalArgumentException.class, () -> new BlockwiseWindows(10, 1));
    }
}

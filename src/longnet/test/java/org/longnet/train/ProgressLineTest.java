package org.longnet.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A progress line redraws in place on a terminal and keeps one line per marked state in a log. */
class ProgressLineTest {
    @Test
    void aLogKeepsTheMarkedStatesAndNotes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true), false);
        line.show(0, 3, "warm-up", true);
        line.show(1, 3, "repeat 1/2", false);
        line.note("a result");
        line.show(2, 3, "repeat 2/2", true);
        line.end();
        assertEquals(String.join(System.lineSeparator(), "warm-up", "a result", "repeat 2/2", ""), bytes.toString());
    }

    @Test
    void aTerminalRedrawsOneLineAndANoteBlanksIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true), true);
        line.show(1, 4, "repeat 1/4 of a long name", true);
        line.show(2, 4, "repeat 2/4", true);
        line.note("row");
        line.show(4, 4, "done", true);
        line.end();
        String bar1 = "[" + "=".repeat(6) + " ".repeat(18) + "] ", bar2 = "[" + "=".repeat(12) + " ".repeat(12) + "] ";
        String first = bar1 + "repeat 1/4 of a long name", second = bar2 + "repeat 2/4";
        assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
                + "\rrow" + " ".repeat(second.length() - 3) + System.lineSeparator()
                + "\r[" + "=".repeat(24) + "] done" + System.lineSeparator(), bytes.toString());
    }

    @Test
    void clockShowsMinutesOrHours() {
        assertEquals("0:07", ProgressLine.clock(7.2));
        assertEquals("2:05", ProgressLine.clock(125));
        assertEquals("1:00:01", ProgressLine.clock(3601));
    }
}

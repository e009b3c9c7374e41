package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzOutputs.Output;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.engine.translator.FuzzType.FLOAT;
import static org.longnet.engine.translator.FuzzType.INT;

/**
 * The body of a generated {@code KernelContext} kernel, whose work-items share a work-group's local
 * memory ({@code lf} and {@code li}, one slot per work-item) between barriers that every work-item of
 * the group reaches.
 */
final class FuzzWorkGroup {
    private final SplittableRandom r;
    /** The work-group size, a power of two: local indices are masked into it. */
    private final int group;
    /** A helper reading the work-group local array of its element type ({@code lf} or {@code li}), or null. */
    private String localReader;
    private FuzzType localReaderType;

    FuzzWorkGroup(SplittableRandom r, int group) {
        this.r = r;
        this.group = group;
    }

    /** A helper that takes a work-group local array and combines a few slots from {@code j} on, in a fixed order: its source. */
    String localReader(String name) {
        localReaderType = r.nextBoolean() ? FLOAT : INT;
        localReader = name;
        String t = localReaderType.java;
        return "    static " + t + " " + name + "(" + t + "[] a, int j) {\n"
                + "        " + t + " acc = 0;\n"
                + "        for (int k = 0; k < " + r.nextInt(1, 4) + "; k++) {\n"
                + "            acc " + (localReaderType == FLOAT ? "+=" : "^=") + " a[(j + k) & " + (group - 1) + "];\n"
                + "        }\n        return acc;\n    }\n\n";
    }

    /**
     * A work-group kernel: statements and, between them, exchanges through local memory (each
     * work-item writes its own slot, a barrier, reads of any slots, a barrier), tree reductions and
     * loops of exchanges, all at the top level where every work-item of the group reaches them. The
     * launch rounds {@code n} up to whole groups; the work-items past {@code n} take part, and write nothing.
     */
    void body(FuzzStatements s, FuzzScope scope, FuzzExpressions e, List<Output> outputs) {
        s.line("float[] lf = ctx.allocateFloatLocalArray(" + group + ");");
        s.line("int[] li = ctx.allocateIntLocalArray(" + group + ");");
        s.line("int lid = ctx.localIdx;");
        s.line("int gid = ctx.globalIdx;");
        s.line("int i = gid % n;");
        for (String id : List.of("lid", "gid", "i")) {
            scope.declareReadOnly(INT, id);
        }
        e.element = "i";
        e.context = true;
        for (int phase = r.nextInt(1, 4); phase > 0; phase--) {
            s.statements(r.nextInt(1, 4), 3);
            switch (r.nextInt(3)) {
                case 0 -> exchange(s, e);
                case 1 -> reduction(s, e);
                default -> {
                    int saved = s.enterUnbreakable();
                    String q = scope.fresh("q");
                    s.open("for (int " + q + " = 0; " + q + " < " + r.nextInt(1, 4) + "; " + q + "++)");
                    scope.declareReadOnly(INT, q);
                    s.statements(r.nextInt(1, 3), 2);
                    exchange(s, e);
                    s.close();
                    s.leaveUnbreakable(saved);
                }
            }
        }
        s.statements(r.nextInt(1, 4), 3);
        s.open("if (gid < n)");
        FuzzOutputs.writeAll(s, outputs, "gid", e, r);
        s.close();
    }

    private String barrier() {
        return r.nextInt(4) == 0 ? "ctx.globalBarrier();" : "ctx.localBarrier();";
    }

    /** Each work-item stores its own slots, then (after a barrier) reads any; the closing barrier frees the slots for the next store. */
    private void exchange(FuzzStatements s, FuzzExpressions e) {
        s.line("lf[lid] = " + e.of(FLOAT, 3, false) + ";");
        s.line("li[lid] = " + e.of(INT, 3, false) + ";");
        s.line(barrier());
        for (int k = r.nextInt(1, 4); k > 0; k--) {
            boolean f = r.nextBoolean();
            String slot = switch (r.nextInt(3)) {
                case 0 -> "(lid + " + r.nextInt(1, group) + ") & " + (group - 1);
                case 1 -> (group - 1) + " - lid";
                default -> "(" + e.of(INT, 2, false) + ") & " + (group - 1);
            };
            FuzzType t = f ? FLOAT : INT;
            s.declare(t, t == localReaderType && r.nextBoolean() ? localReader + "(" + (f ? "lf" : "li") + ", " + e.of(INT, 2, false) + ")"
                    : (f ? "lf" : "li") + "[" + slot + "]");
        }
        s.line(barrier());
    }

    /** A tree reduction (sum, max or xor) over the group: the order of operations is fixed, so float sums agree bit for bit too. */
    private void reduction(FuzzStatements s, FuzzExpressions e) {
        boolean f = r.nextBoolean();
        String a = f ? "lf" : "li";
        s.line(a + "[lid] = " + e.of(f ? FLOAT : INT, 3, false) + ";");
        s.line(barrier());
        String step = "s" + r.nextInt(1000);
        s.line("for (int " + step + " = " + group / 2 + "; " + step + " > 0; " + step + " >>= 1) {");
        String mine = a + "[lid]", other = a + "[lid + " + step + "]";
        String combine = switch (r.nextInt(3)) {
            case 0 -> mine + " += " + other + ";";
            case 1 -> mine + " = KernelMath.max(" + (f ? FuzzExpressions.ORDERED + "(" + mine + "), " + FuzzExpressions.ORDERED + "(" + other + ")"
                    : mine + ", " + other) + ");";
            default -> f ? mine + " -= " + other + ";" : mine + " ^= " + other + ";";
        };
        s.line("    if (lid < " + step + ") {");
        s.line("        " + combine);
        s.line("    }");
        s.line("    " + barrier());
        s.line("}");
        s.declare(f ? FLOAT : INT, a + "[" + (r.nextBoolean() ? "0" : "lid") + "]");
        s.line(barrier());
    }
}

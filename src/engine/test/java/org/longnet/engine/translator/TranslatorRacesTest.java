package org.longnet.engine.translator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.longnet.engine.translator.TranslatorRejectsTest.assertCompiles;
import static org.longnet.engine.translator.TranslatorRejectsTest.assertRejected;

/**
 * Writes that the iterations of a {@code @Parallel} loop would race on fail the build at their line, naming the kernel
 * and the element ({@link Races}), as do misused {@code @Reduce} parameters ({@link Reductions}); the guarded,
 * per-iteration and atomic writes around them still compile.
 */
class TranslatorRacesTest {
    /** {@code body} is placed at line 7 of Bad.java, in kernel k; {@code line} is where the error must point. */
    record Case(String what, String body, int line, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static final String LOOP = "for (@Parallel int i = 0; i < x.getSize(); i++) {\n";
    private static final String JAVA_LOOP = "for (@Parallel int i = 0; i < x.length; i++) {\n";

    static List<Case> races() {
        return List.of(
                new Case("sum without @Reduce (TornadoVM's ReductionAddFloats)", LOOP + "out.set(0, out.get(0) + x.get(i)); }", 8,
                        "in k, every iteration of the @Parallel loop over i writes out[0] (its index does not depend on i), a data race: "
                                + "mark out @Reduce and update it as out.set(k, out.get(k) + e) (or *, max, min), or index out by the loop"),
                new Case("store at a parameter", LOOP + "out.set(n, x.get(i)); }", 8,
                        "in k, every iteration of the @Parallel loop over i writes out[n] (its index does not depend on i), a data race: "
                                + "index out by the loop, or write it under a guard that one iteration passes (if (i == 0))"),
                new Case("store at a fixed local", LOOP + "int at = n * 2;\n out.set(at, x.get(i)); }", 9, "writes out[at]"),
                new Case("every element from every iteration", LOOP + "for (int j = 0; j < n; j++) {\n out.set(j, out.get(j) + x.get(i)); } }", 9,
                        "in k, every iteration of the @Parallel loop over i writes out[j]"),
                new Case("guard that does not depend on i", LOOP + "if (n > 0) {\n out.set(0, x.get(i)); } }", 9, "writes out[0]"),
                new Case("one value from every iteration, another from the iteration that owns the element", LOOP
                        + "out.set(0, x.get(0) + 1f);\n out.set(i, x.get(i) * 2f); }", 8, "writes out[0]"),
                new Case("one value from every iteration, the element read", LOOP + "out.set(0, x.get(0) * 2f);\n out.set(i, out.get(i) * 2f); }",
                        8, "writes out[0]"),
                new Case("one value from every iteration, from an element the kernel writes", LOOP + "out.set(0, x.get(1));\n x.set(i, 0f); }",
                        8, "writes out[0]"),
                new Case("update under a guard that many iterations pass", LOOP + "if (x.get(i) > 0f) {\n out.set(0, out.get(0) + 1f); } }", 9,
                        "in k, each iteration of the @Parallel loop over i that passes its if updates out[0] from the element's own value "
                                + "(its index does not depend on i), a data race that loses updates: mark out @Reduce, or guard the update "
                                + "with i == (one value)"),
                new Case("pair at a fixed index", LOOP + "out.setPair(0, x.get(i), 1f); }", 8, "writes out[0]"),
                new Case("row from every column", LOOP + "for (@Parallel int j = 0; j < n; j++) {\n out.set(i, x.get(i * n + j)); } }", 9,
                        "in k, every iteration of the @Parallel loop over j writes out[i] (its index does not depend on j)"),
                new Case("scalar sum across iterations", "float s = 0f;\n" + LOOP + "s += x.get(i); }\n out.set(0, s);", 9,
                        "in k, the @Parallel loop over i reads s, declared outside it, before the iteration assigns it (as in s += e): each "
                                + "work-item keeps its own s, so the iterations' updates are never combined"),
                new Case("private array sum across iterations", "float[] acc = new float[2];\n" + LOOP + "acc[0] += x.get(i); }", 9,
                        "the @Parallel loop over i reads acc, declared outside it, before the iteration assigns it"),
                new Case("local read after the loop", "float t = 0f;\n" + LOOP + "t = x.get(i); }\n out.set(0, t);", 10,
                        "in k, t is assigned in the @Parallel loop over i and read after it: each work-item keeps its own t"),
                new Case("@Reduce at the loop's index", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "out.set(i, out.get(i) + x.get(i)); }", 10, "the index of a @Reduce update must be the same for every iteration"),
                new Case("@Reduce by subtraction", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "out.set(0, out.get(0) - x.get(i)); }", 10, "a @Reduce parameter is updated as out.set(k, out.get(k) + e)"),
                new Case("@Reduce through a helper that subtracts", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "out.set(0, minus(out.get(0), x.get(i))); }\n }\n static float minus(float a, float b) { return a - b; }\n"
                        + " static void unused() {", 10, "a @Reduce parameter is updated as out.set(k, out.get(k) + e)"),
                new Case("@Reduce with two operators", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "out.set(0, out.get(0) + x.get(i));\n out.set(0, out.get(0) * 2f); }", 11, "must use one operator and one index"),
                new Case("@Reduce read elsewhere", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "out.set(0, out.get(0) + x.get(i));\n x.set(i, out.get(0)); }", 11, "@Reduce out may be used only in its updates"),
                new Case("@Reduce over shorts", "}\n static void r(ShortArray x, @Reduce ShortArray out) {\n" + LOOP
                        + "out.set(0, (short) (out.get(0) + x.get(i))); }", 8, "in r, @Reduce out is a ShortArray: a @Reduce parameter must be a "
                        + "FloatArray, DoubleArray, IntArray or LongArray"),
                new Case("@Reduce without a @Parallel loop", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n out.set(0, 1f);", 8,
                        "@Reduce needs a @Parallel loop"),
                java("store at a fixed index", "float[] x, float[] out", "", "out[0] = x[i]; }", 10,
                        "in r, every iteration of the @Parallel loop over i writes out[0] (its index does not depend on i), a data race"),
                java("sum without @Reduce", "float[] x, float[] out", "", "out[0] += x[i]; }", 10,
                        "writes out[0] (its index does not depend on i), a data race: mark out @Reduce"),
                java("update under a guard that many iterations pass", "int[] x, int[] out", "", "if (x[i] > 0) { out[0]++; } }", 10,
                        "each iteration of the @Parallel loop over i that passes its if updates out[0]"),
                java("@Reduce read elsewhere", "float[] x, @Reduce float[] out", "", "out[0] += x[i];\n x[i] = out[0]; }", 11,
                        "@Reduce out may be used only in its updates"),
                java("@Reduce read after the loop", "float[] x, @Reduce float[] out", "", "out[0] += x[i]; }\n out[0] = out[0] / 2;", 11,
                        "@Reduce out may be used only in its updates"),
                java("@Reduce by subtraction", "float[] x, @Reduce float[] out", "", "out[0] -= x[i]; }", 10, "a Java array as out[k] += e"),
                java("@Reduce of a float into an int", "float[] x, @Reduce int[] out", "", "out[0] += x[i]; }", 10,
                        "the @Reduce update of out (int) adds the float x[i]: cast it to int first"),
                java("@Reduce over shorts", "short[] x, @Reduce short[] out", "", "out[0] += x[i]; }", 8, "in r, @Reduce out is a short[]"),
                java("a scalar carried across iterations", "float[] x, float[] out", "float s = 0f;\n", "s += x[i];\n out[i] = s; }", 11,
                        "the @Parallel loop over i reads s, declared outside it"),
                java("fixed index from a local, the value from the index", "float[] x, float[] out", "", "int at = 0;\n out[at] = i; }", 11,
                        "every iteration of the @Parallel loop over i writes out[at] (its index does not depend on i), a data race"),
                java("counted writes, the value from the index through a local", "float[] x, float[] out", "",
                        "float v = x[i];\n int k = 0;\n for (float e : x) {\n out[k] = e + v; k++; } }", 13, "writes out[k]"),
                java("counted writes, the value from an element the kernel writes", "float[] x, float[] y, float[] out", "",
                        "int k = 0;\n for (float e : x) {\n out[k] = e + y[0]; k++; }\n y[i] = 0f; }", 12, "writes out[k]"),
                java("counted writes to an array the kernel reads", "float[] x, float[] y, float[] out", "",
                        "int k = 0;\n for (float e : x) {\n out[k] = e; k++; }\n y[i] = out[i]; }", 12, "writes out[k]"),
                java("counted writes, the value from an array the kernel writes before the loop", "float[] x, float[] y, float[] out",
                        "y[0] = 2f;\n", "for (int j = 0; j < x.length; j++) {\n out[j] = x[j] * y[0]; } }", 12, "writes out[j]"),
                java("a counter that restarts in an inner loop", "float[] x, float[] out", "",
                        "for (int r = 0; r < 2; r++) {\n int k = 0;\n for (int j = 0; j < x.length; j++) {\n out[k] = x[j] + r; k++; } } }", 13,
                        "writes out[k]"),
                java("a loop counter that restarts in an outer loop", "float[] x, float[] out", "",
                        "for (int r = 0; r < 2; r++) {\n for (int j = 0; j < x.length; j++) {\n out[j] = x[j] + r; } } }", 12, "writes out[j]"),
                java("a counter that not every pass increments", "float[] x, float[] out", "",
                        "int k = 0;\n for (float e : x) {\n out[k] = e;\n if (e > 0f) { k++; } } }", 12, "writes out[k]"),
                java("a counter that goes down", "float[] x, float[] out", "",
                        "int k = x.length - 1;\n for (float e : x) {\n out[k] = e; k--; } }", 12, "writes out[k]"),
                java("counted writes with a break", "float[] x, float[] out", "",
                        "for (int j = 0; j < x.length; j++) {\n out[j] = x[j];\n if (x[j] > 0f) break; } }", 11, "writes out[j]"),
                new Case("counted writes in a @Parallel loop that a sequential loop runs again", LOOP + "for (int r = 0; r < 2; r++) {\n"
                        + "for (@Parallel int j = 0; j < n; j++) {\n int k = 0;\n for (int e = 0; e < n; e++) {\n out.set(k, x.get(e) + r); k++; } } } }",
                        12, "writes out[k]"),
                new Case("counted writes, the value from the index", LOOP + "for (int j = 0; j < n; j++) {\n out.set(j, x.get(j) + i); } }", 9,
                        "every iteration of the @Parallel loop over i writes out[j]"));
    }

    /** Writes at an index that depends on the loop's index in a way that does not tell its iterations apart, and broken promises that it does. */
    static List<Case> unproven() {
        String why = "depends on i but is not provably another element in each iteration of the @Parallel loop over i, so two iterations "
                + "may write one element: index out by i as i, i + k or m * i + k (m a nonzero literal, k the same in every iteration), or "
                + "i * s + (a loop counter from 0 up to s); or guard the write with i == (one value)";
        return List.of(
                new Case("a loop bounded by the index (issue 24)", LOOP + "for (int j = 0; j < i; j++) {\n out.set(j, i); } }", 9,
                        "in k, the index of out[j] " + why),
                java("a loop bounded by the index", "float[] x, float[] out", "", "for (int j = 0; j < i; j++) {\n out[j] = i; } }", 11,
                        "in r, the index of out[j] depends on i but is not provably another element"),
                new Case("half the index", LOOP + "out.set(i / 2, x.get(i)); }", 8, "the index of out[i / 2] depends on i"),
                new Case("the index modulo a parameter", LOOP + "out.set(i % n, x.get(i)); }", 8, "the index of out[i % n] depends on i"),
                new Case("scatter through an index array", LOOP + "out.set(idx.get(i), x.get(i)); }", 8, "the index of out[idx.get(i)] depends on i"),
                new Case("a stride that may be 0", LOOP + "out.set(i * n, x.get(i)); }", 8, "the index of out[i * n] depends on i"),
                new Case("a counting-down row one wider than its stride", LOOP + "for (@Parallel int j = n; j >= 0; j--) {\n out.set(i * n + j, 1f); } }",
                        9, "the index of out[i * n + j] depends on i"),
                new Case("a counting-down row below 0", LOOP + "for (@Parallel int j = n - 1; j >= -1; j--) {\n out.set(i * n + j, 1f); } }", 9,
                        "the index of out[i * n + j] depends on i"),
                new Case("a row wider than its stride", LOOP + "for (int j = 0; j < 4; j++) {\n out.set(i * n + j, x.get(i)); } }", 9,
                        "the index of out[i * n + j] depends on i"),
                new Case("the index plus a counter", LOOP + "for (int j = 0; j < n; j++) {\n out.set(i + j, x.get(j)); } }", 9,
                        "the index of out[i + j] depends on i"),
                new Case("a counter that another statement changes", LOOP + "for (int j = 0; j < n; j++) {\n j += 2;\n out.set(i * n + j, 1f); } }",
                        10, "the index of out[i * n + j] depends on i"),
                new Case("two indices of a nest added", LOOP + "for (@Parallel int j = 0; j < n; j++) {\n out.set(i + j, x.get(i)); } }", 9,
                        "the index of out[i + j] depends on i"),
                new Case("a local assigned twice", LOOP + "int at = i;\n if (x.get(i) > 0f) { at = 0; }\n out.set(at, 1f); }", 10,
                        "the index of out[at] depends on i"),
                new Case("two strides over one counter", LOOP + "for (@Parallel int j = 0; j < n; j++) {\n for (int k = 0; k < 3; k++) {\n"
                        + "out.set(i * 4 + j * 8 + k, 1f); } } }", 10, "the index of out[i * 4 + j * 8 + k] depends on i"),
                new Case("a while loop's counter changed before the write", LOOP + "int y = 0;\n while (y < n) {\n y++;\n"
                        + "out.set(i * n + y, 1f); } }", 11, "the index of out[i * n + y] depends on i"),
                new Case("a @DistinctIndex local outside the loop", "@DistinctIndex int at = n;\n" + LOOP + "out.set(at, 1f); }", 7,
                        "in k, @DistinctIndex at is declared outside the @Parallel loops: it promises one value per iteration"),
                new Case("a @DistinctIndex local assigned again", LOOP + "@DistinctIndex int at = idx.get(i);\n at = at + 1;\n out.set(at, 1f); }", 8,
                        "in k, @DistinctIndex at is not given its value once, where it is declared"),
                new Case("quotient and remainder subtracted", LOOP + "out.set(i / 4 * 4 - i % 4, 1f); }", 8, "depends on i but is not provably"));
    }

    static List<Case> fine() {
        return List.of(
                java("each iteration its own element, in place", "float[] x, float[] out", "", "out[i] += x[i];\n out[i]++;\n x[i] = out[i] * 2f; }",
                        0, ""),
                java("store by the first iteration", "float[] x, float[] out", "", "if (i == 0) { out[0] = x.length; } }", 0, ""),
                java("@Reduce max from a start value", "float[] x, @Reduce float[] out", "out[0] = 0f;\n", "out[0] = Math.max(out[0], x[i]); }", 0, ""),
                new Case("store by the first iteration", LOOP + "if (i == 0) { out.set(0, x.get(0)); } }", 0, ""),
                new Case("a return that every iteration takes first or none", LOOP + "if (n > 3) { return; }\n out.set(i, x.get(i)); }", 0, ""),
                new Case("a return first in the inner loop of a nest", LOOP + "for (@Parallel int j = 0; j < n; j++) {\n"
                        + " if (x.get(0) > x.get(1)) return;\n out.set(i * n + j, x.get(i)); } }", 0, ""),
                new Case("the same value from every iteration (TornadoVM's TestLoopConditions)", LOOP
                        + "if (x.get(0) != x.get(1)) { out.set(0, x.get(0) * 2f); }\n out.set(i, x.get(i) * 2f); }", 0, ""),
                new Case("update by the last iteration", LOOP + "if (n > 0 && i == x.getSize() - 1) { out.set(0, out.get(0) + x.get(i)); } }", 0, ""),
                new Case("flag set by the iterations that find it", LOOP + "if (x.get(i) > 0f) { idx.set(0, i); } }", 0, ""),
                new Case("index through locals", LOOP + "int row = i / 4;\n int col = i % 4;\n out.set(row * 4 + col, x.get(i)); }", 0, ""),
                new Case("2D nest", LOOP + "for (@Parallel int j = 0; j < n; j++) { out.set(i * n + j, x.get(i)); } }", 0, ""),
                new Case("2D nest, the inner index counting down", LOOP + "for (@Parallel int j = n - 1; j >= 0; --j) { out.set(i * n + j, 1f); } }", 0, ""),
                new Case("2D nest, counting down to above -1", LOOP + "for (@Parallel int j = n - 2; j > -1; j -= 2) { out.set(i * n + j, 1f); } }",
                        0, ""),
                new Case("2D nest, inclusive bound", LOOP + "for (@Parallel int j = 0; j <= n - 1; j++) { out.set((long) i * n + j, 1f); } }", 0, ""),
                new Case("index reversed, scaled, shifted", LOOP + "out.set(n - 1 - i, 1f);\n idx.set(2 * i + 1, 1);\n idx.set(i << 2, 0); }", 0, ""),
                new Case("row start in a local, a counter up to the row's length", LOOP + "long base = (long) i * n;\n"
                        + "for (int j = 0; j < n; j++) { out.set(base + j, x.get(j)); } }", 0, ""),
                new Case("rows of rows of four", LOOP + "for (int j = 0; j < n; j++) { for (int k = 0; k < 4; k++) {\n"
                        + "out.set((i * n + j) * 4 + k, 1f); } } }", 0, ""),
                new Case("pairs of a row (the rotation's index)", LOOP + "for (int f = 0; f < n / 2; f++) { out.set(i * n + 2 * f, 1f); } }", 0, ""),
                new Case("a literal stride over a literal bound (TornadoVM's NBody)", LOOP + "int body = 4 * i;\n"
                        + "for (int k = 0; k < 3; k++) { out.set(body + k, 1f); } }", 0, ""),
                new Case("a counter below a counter below the stride (TornadoVM's matrixMultiplicationParallelInduction)", LOOP
                        + "for (int j = 0; j < i; j++) { out.set(i * x.getSize() + j, 1f); } }", 0, ""),
                new Case("a counter up to the index, inclusive", LOOP + "for (int j = 0; j <= i; j++) { out.set(i * x.getSize() + j, 1f); } }", 0, ""),
                new Case("a while loop's counter (TornadoVM's TestLoops.whileLoop)", LOOP + "int y = 0;\n"
                        + "while (y < n) { out.set(i * n + y, 1f);\n y++; } }", 0, ""),
                new Case("scatter at a @DistinctIndex local", LOOP + "@DistinctIndex int at = idx.get(i);\n out.set(at, x.get(i)); }", 0, ""),
                new Case("scatter by the one iteration a guard lets through", LOOP + "if (i == n) { out.set(idx.get(i), 1f); } }", 0, ""),
                new Case("atomic add to one element", LOOP + "out.atomicAdd(0, x.get(i)); }", 0, ""),
                new Case("scratch set before use", "float[] acc = new float[4];\n float t = 0f;\n" + LOOP
                        + "for (int d = 0; d < 4; d++) { acc[d] = 0f; }\n for (int d = 0; d < 4; d++) { acc[d] += x.get(i); }\n"
                        + "t = acc[0];\n out.set(i, t + acc[3]); }", 0, ""),
                new Case("@Reduce sum under a guard", "}\n static void r(FloatArray x, @Reduce FloatArray out) {\n" + LOOP
                        + "if (x.get(i) > 0f) { out.set(0, out.get(0) + x.get(i)); } }", 0, ""),
                new Case("the same writes from every iteration, by a loop's counter", LOOP
                        + "for (int j = 0; j < n; j++) { out.set(j, x.get(j) * 2f); } }", 0, ""),
                java("the same writes from every iteration, by a counter (TornadoVM's TestLoops.forEach)", "int[] x, int[] out", "",
                        "int k = 0;\n for (int e : x) { out[k] = e + 1; k++; } }", 0, ""),
                java("the same writes from every iteration, by a counter over nested loops", "float[] x, float[] out", "",
                        "int k = 0;\n for (int r = 0; r < 2; r++) { if (x.length > 3) { for (int j = 0; j < 2; j++) {\n"
                                + " out[k] = x[j] * r; k += 2; } } } }", 0, ""));
    }

    /** A case of kernel r over Java arrays ({@code params}): {@code before}, then {@code body} inside its @Parallel loop over x's length. */
    private static Case java(String what, String params, String before, String body, int line, String message) {
        return new Case("Java array: " + what, "}\n static void r(" + params + ") {\n" + before + JAVA_LOOP + body, line, message);
    }

    private static String kernel(String body) {
        return """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(FloatArray x, FloatArray out, IntArray idx, int n) {
                %s
                    }
                }
                """.formatted("\n" + body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("races")
    void racingWriteIsRejected(Case c) {
        assertRejected(kernel(c.body()).replace("static void r(", "@Kernel public static void r("), c.line(), c.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unproven")
    void writeAtAnUnprovenIndexIsRejected(Case c) {
        assertRejected(kernel(c.body()).replace("static void r(", "@Kernel public static void r("), c.line(), c.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fine")
    void writeWithoutARaceCompiles(Case c) {
        assertCompiles(kernel(c.body()).replace("static void r(", "@Kernel public static void r("));
    }
}

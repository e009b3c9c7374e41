package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each construct outside the kernel subset must fail the build with an error at its own line
 * that says what is wrong and what is allowed. Kernels here are compiled by javac in-process
 * with the same translator the Maven build uses.
 */
class TranslatorRejectsTest {
    /** {@code body} is placed at line 8 of Bad.java; {@code line} is where the error must point. */
    record Bad(String what, String body, int line, String message) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Bad> cases() {
        return List.of(
                new Bad("object allocation", "for (@Parallel int i = 0; i < 4; i++) { Object o = new Object(); }", 8,
                        "local variables of type java.lang.Object are not allowed"),
                new Bad("new inside an expression", "for (@Parallel int i = 0; i < 4; i++) { x.set(i, new float[2][0].length); }", 8,
                        "object allocation is not allowed"),
                new Bad("library call", "for (@Parallel int i = 0; i < 4; i++) {\n x.set(i, (float) Math.ulp(i)); }", 9,
                        "calls to Math.ulp are not allowed in a kernel; a kernel may call KernelMath"),
                new Bad("call of a static method of another class", "x.set(0, Integer.bitCount(3));", 8, "static methods of @DeviceFunctions classes"),
                new Bad("call of a kernel", "k(x);", 8, "a kernel cannot be called on a device"),
                new Bad("exception", "for (@Parallel int i = 0; i < 4; i++) {\n\n throw new IllegalStateException(); }", 10,
                        "throw is not allowed in a kernel"),
                new Bad("try", "try { x.set(0, 1f); } finally { x.set(1, 2f); }", 8, "try is not allowed"),
                new Bad("recursion", "x.set(0, fact(5));\n }\n static float fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }\n static void unused() {",
                        10, "recursion is not allowed in a kernel"),
                new Bad("string", "for (@Parallel int i = 0; i < 4; i++) { String s = \"a\"; }", 8, "local variables of type java.lang.String"),
                new Bad("long loop kind", "for (@Parallel short i = 0; i < 4; i++) { x.set(i, 1f); }", 8, "must be int or long"),
                new Bad("parallel condition", "for (@Parallel int i = 0; 4 > i; i++) { x.set(i, 1f); }", 8, "condition must be"),
                new Bad("parallel loop counting down by going up", "for (@Parallel int i = 3; i >= 0; i++) { x.set(i, 1f); }", 8,
                        "a @Parallel loop update must be i-- or i -= step, as its condition counts down"),
                new Bad("break in parallel loop", "for (@Parallel int i = 0; i < 4; i++) {\n if (i == 2) break; x.set(i, 1f); }", 9,
                        "break out of a @Parallel loop"),
                new Bad("return in parallel loop", "for (@Parallel int i = 0; i < 4; i++) {\n if (i == 2) return; x.set(i, 1f); }", 9,
                        "return inside a @Parallel loop"),
                new Bad("return in parallel loop after a write", "for (@Parallel int i = 0; i < 4; i++) {\n x.set(i, 1f);\n if (x.getSize() > 9) return; }",
                        10, "return inside a @Parallel loop"),
                new Bad("return in parallel loop on an element the kernel writes", "for (@Parallel int i = 0; i < 4; i++) {\n"
                        + " if (x.get(0) > 2f) return;\n x.set(i, 1f); }", 9, "return inside a @Parallel loop"),
                new Bad("non-constant array size", "int n = 4; n++; float[] t = new float[n];", 8,
                        "a private array's length in a kernel must be a positive constant, a product of int parameters of the kernel"),
                new Bad("private array sized by an array's length", "float[] t = new float[(int) x.getSize()];", 8,
                        "or an expression with a constant bound (n % 8); found (int)x.getSize()"),
                new Bad("static field of an object type", "x.set(0, counter);\n }\n static Float counter = 1f;\n static void unused() {", 8,
                        "only local variables, parameters, static final constants and static fields of primitive types"),
                new Bad("char", "char c = 'a';", 8, "local variables of type char"),
                new Bad("lambda", "Runnable r = () -> {};", 8, "local variables of type java.lang.Runnable"),
                new Bad("switch on a String", "switch (\"a\" + x.get(0)) { case \"a\": x.set(0, 2f); }", 8,
                        "a switch in a kernel must be on an int, short, byte or char, not java.lang.String"),
                new Bad("enhanced for over a new array", "for (float f : new float[] {1f}) { x.set(0, f); }", 8,
                        "an enhanced for loop in a kernel must go over a one-dimensional array of primitives named by a local or parameter"),
                new Bad("bound from a later local", "for (int j = 0; j < 2; j++) {\n for (@Parallel int i = 0; i < j; i++) { x.set(i, 1f); } }", 9,
                        "bounds of a @Parallel loop may use parameters"),
                new Bad("instance method kernel", "}\n @Kernel public void notStatic(FloatArray x) {", 9, "must be static"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(Bad bad) {
        assertRejected("""
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(FloatArray x) {


                %s
                    }
                }
                """.formatted(bad.body()), bad.line(), bad.message());
    }

    @Test
    void helpersTakeLocalArraysAndPrivateOnesWhereMarked() {
        String kernel = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(KernelContext ctx, FloatArray x) {
                        float[] tile = ctx.allocateFloatLocalArray(256);
                        float[] mine = new float[4];
                        %s
                    }
                    static void fill(KernelContext ctx, float[] t) {
                        t[ctx.localIdx] = 1f;
                    }
                }
                """;
        assertRejected(kernel.formatted("fill(ctx, mine);"), 8, "only work-group local arrays");
        assertRejected(kernel.formatted("x.set(0, last(tile));\n }\n static float last(float[] t) {\n return t[t.length - 1];"), 11,
                "helper last cannot know the length of t, a caller's local array: pass its length as an int parameter");
        assertRejected(kernel.formatted("x.set(0, total(tile));\n }\n static float total(float[] t) {\n float s = 0f; for (float v : t) s += v; return s;"),
                11, "helper total cannot know the length of t");
        assertCompiles(kernel.formatted("fill(ctx, tile);"));
        // A @Private parameter takes the caller's registers instead, and only them.
        String bump = "%s\n }\n static void bump(@Private float[] t) {\n t[0] += 1f;";
        assertCompiles(kernel.formatted(bump.formatted("bump(mine); x.set(0, mine[0]);")));
        assertRejected(kernel.formatted(bump.formatted("bump(tile);")), 8,
                "bump's t is @Private: pass a private array of this method (new float[N]), by name; tile is not");
        assertRejected(kernel.formatted("x.set(0, last(mine));\n }\n static float last(@Private float[] t) {\n return t[t.length - 1];"), 11,
                "helper last cannot know the length of t, a caller's private array: pass its length as an int parameter");
        assertRejected(kernel.formatted("step(ctx, tile, mine);\n }\n static void step(KernelContext ctx, float[] t, @Private float[] acc) {\n"
                + " ctx.mmaBf16(t, 0, 16, t, 0, 16, acc, 0);"), 11, "mmaBf16's acc must be a private array of at least 4 elements; acc is a "
                + "@Private parameter, whose length only its callers know: call mmaBf16 where the array is made");
        assertRejected(kernel.formatted("flag(1f);\n }\n static void flag(@Private float t) {\n float u = t;"), 10,
                "@Private marks a helper's float[] or int[] parameter; t is a float");
    }

    @Test
    void helpersAllocateLocalArraysAtTheirTopForTheKernelsOwnCalls() throws Exception {
        String kernel = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(KernelContext ctx, FloatArray x) {
                        %s
                    }
                    static float sum(KernelContext ctx, int n) {
                        float[] t = ctx.allocateFloatLocalArray(2 * n);
                        t[ctx.localIdx] = 1f;
                        return t[t.length - 1];
                    }
                    static float nested(KernelContext ctx) {
                        if (ctx.localIdx >= 0) {
                            float[] t = ctx.allocateFloatLocalArray(8);
                            return t[0];
                        }
                        return 0f;
                    }
                    static float twice(KernelContext ctx) {
                        return sum(ctx, 4);
                    }
                }
                """;
        assertRejected(kernel.formatted("x.set(0, twice(ctx));"), 21,
                "sum allocates work-group local arrays, so a kernel must call it itself (the kernel gives it the arrays), not helper twice");
        assertRejected(kernel.formatted("x.set(0, nested(ctx));"), 15, "local arrays must be allocated at the top level of the kernel's body, "
                + "or of a helper's that the kernel calls");
        assertRejected(kernel.formatted("int m = 4; m++; x.set(0, sum(ctx, m));"), 6, "the length of sum's local array t (2 * n) must come to a "
                + "positive constant times int parameters of the kernel");
        // a constant at each call: the kernel's constant-size local memory (2 * 32 + 2 * 64 floats), nothing for the launch to size
        TranslatingCompiler.Result r = assertCompiles(kernel.formatted("for (int i = 0; i < 2; i++) { x.set(i, sum(ctx, 32)); } x.set(2, sum(ctx, 64));"));
        assertTrue(r.file("bad/Bad.kernels").strip().endsWith("\t" + 4 * (64 + 128)), r.file("bad/Bad.kernels"));
        Path cu = Files.createTempFile("helper-locals", ".cu"), out = Files.createTempFile("helper-locals", ".ptx");
        Files.writeString(cu, r.file("bad/Bad.cu"));
        GeneratedCudaCompilesTest.nvcc(cu, "-ptx", "-arch=sm_90", out);
    }

    @Test
    void intrinsicsCheckWhatTheirArraysAre() {
        String kernel = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(KernelContext ctx, FloatArray x, BFloat16Array b) {
                        float[] tile = ctx.allocateFloatLocalArray(256);
                        int[] ints = ctx.allocateIntLocalArray(256);
                        float[] acc = new float[4];
                        float[] small = new float[2];
                        float[] notLocal = new float[256];
                        %s
                    }
                }
                """;
        assertRejected(kernel.formatted("ctx.mmaBf16(notLocal, 0, 16, tile, 0, 8, acc, 0);"), 11,
                "mmaBf16's a must be a work-group local array (context.allocate...LocalArray), by name; notLocal is not");
        assertRejected(kernel.formatted("ctx.mmaBf16(tile, 0, 16, tile, 0, 8, tile, 0);"), 11,
                "mmaBf16's acc must be a private array of this method (new float[N]), by name; tile is not");
        assertRejected(kernel.formatted("ctx.mmaBf16(tile, 0, 16, tile, 0, 8, small, 0);"), 11,
                "mmaBf16's acc must be a private array of at least 4 elements; small has 2");
        assertRejected(kernel.formatted("ctx.loadChunk(null, 0, ints, 0, true);"), 11,
                "loadChunk's src must be a BFloat16Array parameter of this method, by name; null is not");
        assertRejected(kernel.formatted("int n = 1; ctx.waitChunks(n);"), 11, "waitChunks's batches must be an int literal, 0 or more; n is not");
        assertRejected(kernel.formatted("x.fill(0f);"), 11, "only getSize, get, set, getBits, getPair, setPair, scaleAddPair, atomicAdd, "
                + "atomicAddPair can be called on an array in a kernel; fill cannot");
        assertCompiles(kernel.formatted("ctx.mmaBf16(tile, 0, 16, tile, 0, 8, acc, 0); ctx.loadChunk(b, 0, ints, 0, true); ctx.waitChunks(1);"));
    }

    @Test
    void acceptsAndTranslatesAGoodKernel() {
        assertCompiles("""
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(FloatArray x) {
                        for (@Parallel int i = 0; i < x.getSize(); i++) { x.set(i, KernelMath.exp(x.get(i))); }
                    }
                }
                """);
    }

    @Test
    void launchBoundsReachTheCudaSignature() {
        String kernel = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel(%s)
                    public static void k(KernelContext ctx, FloatArray x) {
                        x.set(ctx.globalIdx, 1f);
                    }
                }
                """;
        String cuda = assertCompiles(kernel.formatted("groupSize = 128, minGroupsPerUnit = 3")).file("bad/Bad.cu");
        assertTrue(cuda.contains("__global__ void __launch_bounds__(128, 3) k("), cuda);
        assertRejected(kernel.formatted("groupSize = -1"), 5, "@Kernel(groupSize) must be >= 0, was -1");
    }

    /** Bad.java must fail to compile, its first error at {@code line} of Bad.java and containing {@code message}. */
    static void assertRejected(String source, int line, String message) {
        TranslatingCompiler.Result r = TranslatingCompiler.compile(new TranslatingCompiler.Source("bad/Bad.java", source));
        assertFalse(r.errors().isEmpty(), "the build should fail with: " + message);
        Diagnostic<? extends JavaFileObject> first = r.errors().get(0);
        assertTrue(first.getMessage(null).contains(message), "message should contain '" + message + "'; errors:\n" + r.describe());
        assertEquals(line, first.getLineNumber(), "error line; errors:\n" + r.describe());
        assertTrue(first.getSource().getName().endsWith("Bad.java"), "error names the file");
    }

    static TranslatingCompiler.Result assertCompiles(String source) {
        TranslatingCompiler.Result r = TranslatingCompiler.compile(new TranslatingCompiler.Source("bad/Bad.java", source));
        assertTrue(r.errors().isEmpty(), r.describe());
        return r;
    }
}

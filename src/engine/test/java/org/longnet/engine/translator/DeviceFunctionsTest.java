package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.translator.TranslatingCompiler.Result;
import org.longnet.engine.translator.TranslatingCompiler.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels calling the functions of {@code @DeviceFunctions} classes: the same generated files
 * whatever order javac analyzes the classes in and whether the library is compiled with the kernels
 * or earlier; C names that do not collide; barriers and matrix-unit fences of the kernels that reach
 * a function; and the rules, each failing the build at its own file and line.
 */
class DeviceFunctionsTest {
    /**
     * Sorts before the kernel class: a row-major index, and a work-group sum whose barriers (in the engine's
     * GroupReductions, compiled earlier) its callers inherit.
     */
    static final Source GROUPS = new Source("dev/AGroups.java", """
            package dev;
            import org.longnet.engine.api.*;
            @DeviceFunctions
            public final class AGroups {
                private AGroups() {
                }
                public static long index(int row, int col, int cols) {
                    return (long) row * cols + col;
                }
                public static float sum(KernelContext ctx, float[] scratch, float v) {
                    return GroupReductions.sum(ctx, scratch, v);
                }
            }
            """);
    /** Sorts after the kernel class: an index of the same name as AGroups', and functions that call AGroups'. */
    static final Source ROWS = new Source("dev/ZRows.java", """
            package dev;
            import org.longnet.engine.api.*;
            @DeviceFunctions
            public final class ZRows {
                public static long index(int row, int col, int rows) {
                    return (long) col * rows + row;
                }
                public static float element(FloatArray x, int row, int col, int cols) {
                    return x.get(AGroups.index(row, col, cols));
                }
                static float rowSum(KernelContext ctx, float[] scratch, FloatArray x, int row, int cols) {
                    float partial = 0f;
                    for (int c = ctx.localIdx; c < cols; c += ctx.localGroupSizeX) {
                        partial += element(x, row, c, cols);
                    }
                    return AGroups.sum(ctx, scratch, partial);
                }
            }
            """);
    /** Calls both, from a kernel with no barrier of its own and from a @Parallel kernel (whose JVM launcher calls them too). */
    static final Source KERNELS = new Source("dev/Kernels.java", """
            package dev;
            import org.longnet.engine.api.*;
            public final class Kernels {
                @Kernel
                public static void sums(KernelContext ctx, FloatArray x, FloatArray out, int cols) {
                    float[] scratch = ctx.allocateFloatLocalArray(64);
                    float s = ZRows.rowSum(ctx, scratch, x, ctx.groupIdx, cols);
                    if (ctx.localIdx == 0) {
                        out.set(ctx.groupIdx, s);
                    }
                }
                @Kernel
                public static void transpose(FloatArray in, FloatArray out, int rows, int cols) {
                    for (@Parallel int r = 0; r < rows; r++) {
                        for (@Parallel int c = 0; c < cols; c++) {
                            @DistinctIndex long at = ZRows.index(r, c, rows); // a function's index, which the race check does not read
                            out.set(at, ZRows.element(in, r, c, cols));
                        }
                    }
                }
            }
            """);

    @Test
    void theSameFilesWhateverOrderJavacAnalyzesTheClassesIn() throws IOException, InterruptedException {
        Result first = compiles(List.of(), List.of(), GROUPS, KERNELS, ROWS); // ZRows analyzed after the kernels that call it
        String cuda = first.file("dev/Kernels.cu");
        assertTrue(cuda.contains("long long dev_AGroups_index(int row, int col, int cols)") && cuda.contains("dev_ZRows_index(int row"),
                "two functions named index, in two classes, keep apart in C:\n" + cuda);
        assertEquals("sums\tcontext\t0\ttrue\tsums\t256\ntranspose\tparallel\t2\tfalse\ttranspose\t0\n", first.file("dev/Kernels.kernels"),
                "sums waits for its group through ZRows.rowSum and AGroups.sum");
        for (List<Source> order : List.of(List.of(ROWS, KERNELS, GROUPS), List.of(KERNELS, GROUPS, ROWS))) {
            for (String policy : List.of("-XDcompilePolicy=bytodo", "-XDcompilePolicy=simple", "-XDcompilePolicy=byfile")) {
                Result r = compiles(List.of(), List.of(policy), order.toArray(Source[]::new));
                for (String file : List.of("dev/Kernels.cl", "dev/Kernels.cu", "dev/Kernels.kernels")) {
                    assertEquals(first.file(file), r.file(file), file + " with " + order.stream().map(Source::path).toList() + " and " + policy);
                }
            }
        }
        GeneratedCudaCompilesTest.nvcc(first.out().resolve("dev/Kernels.cu"), "-ptx", "-arch=sm_90", first.out().resolve("Kernels.ptx"));
    }

    @Test
    void librariesCompiledEarlierAreReadFromTheClassPath() throws IOException {
        Path libraries = compiles(List.of(), List.of(), GROUPS, ROWS).out();
        Result kernels = compiles(List.of(libraries), List.of(), KERNELS);
        assertEquals(compiles(List.of(), List.of(), GROUPS, ROWS, KERNELS).file("dev/Kernels.cu"), kernels.file("dev/Kernels.cu"));
        Files.delete(libraries.resolve("dev/ZRows.devicefunctions"));
        Result missing = TranslatingCompiler.compile(List.of(libraries), List.of(), KERNELS);
        assertFalse(missing.errors().isEmpty(), "a library compiled without the translator must fail the build");
        assertEquals(7, missing.errors().get(0).getLineNumber(), missing.describe());
        assertTrue(missing.errors().get(0).getMessage(null).contains("cannot call ZRows.rowSum: the translated functions of dev.ZRows are not "
                + "on the class path (ZRows.devicefunctions"), missing.describe());
    }

    @Test
    void barriersOfALibraryFunctionFenceForTheMatrixUnitsOfKernelsThatReachIt() {
        Source sync = new Source("dev/Sync.java", """
                package dev;
                import org.longnet.engine.api.*;
                @DeviceFunctions
                public final class Sync {
                    public static void all(KernelContext ctx) {
                        ctx.localBarrier();
                    }
                }
                """);
        String kernels = """
                package dev;
                import org.longnet.engine.api.*;
                public final class %s {
                    @Kernel
                    public static void k(KernelContext ctx, FloatArray out) {
                        int[] a = ctx.allocateIntLocalArray(2048);
                        float[] acc = new float[32];
                        Sync.all(ctx);
                        %s
                        out.set(ctx.globalIdx, acc[0]);
                    }
                }
                """;
        Result r = compiles(List.of(), List.of(), sync, new Source("dev/Products.java", kernels.formatted("Products",
                "ctx.mmaBf16Warpgroup(a, 0, a, 0, 64, acc, false);")), new Source("dev/Plain.java", kernels.formatted("Plain", "")));
        assertTrue(r.file("dev/Products.cu").contains("void dev_Sync_all() {\n    longnet_barrier_for_matrix_units();"), r.file("dev/Products.cu"));
        assertTrue(r.file("dev/Plain.cu").contains("void dev_Sync_all() {\n    __syncthreads();"), r.file("dev/Plain.cu"));
    }

    @Test
    void aLibraryIsCheckedWhereItIsWritten() {
        String library = """
                package dev;
                import org.longnet.engine.api.*;
                @DeviceFunctions
                public final class Lib {
                    public static float f(KernelContext ctx, float x) {
                        %s
                    }
                    %s
                }
                """;
        assertLibraryRejected(library.formatted("return (float) Math.ulp(x);", ""), 6, "calls to Math.ulp are not allowed in a kernel");
        assertLibraryRejected(library.formatted("float[] t = ctx.allocateFloatLocalArray(4);\n return t[0];", ""), 6,
                "a @DeviceFunctions function cannot allocate local arrays; allocate them in the kernel and pass them");
        assertLibraryRejected(library.formatted("return x;", "public float g() { return 1f; }"), 8, "holds static methods only");
        assertLibraryRejected(library.formatted("return x;", "@Kernel public static void k(FloatArray y) { }"), 8,
                "cannot be in a @DeviceFunctions class");
        assertLibraryRejected(library.formatted("return g(x);", "static float g(float y) { return f(null, y); }"), 5,
                "recursion is not allowed in a kernel (devices have no call stack): f -> g -> f");
        // a tensor map's copies land in tiles the kernel's file must align, so only a kernel's own helpers take one
        assertLibraryRejected(library.formatted("return x;", "public static void copy(KernelContext ctx, TensorMap m) { }"), 8,
                "TensorMap (in a kernel or its class's own helpers, not in a @DeviceFunctions class");
    }

    /** TornadoVM's {@code QuantizationUtils.dp4a} has two overloads: each is a function of its own in C, from the class file too. */
    @Test
    void overloadsOfALibraryAreFunctionsOfTheirOwn() throws IOException {
        Source library = new Source("dev/Dots.java", """
                package dev;
                import org.longnet.engine.api.*;
                @DeviceFunctions
                public final class Dots {
                    public static int dot(IntArray a, int i, IntArray b, int j) { return a.get(i) * b.get(j); }
                    public static int dot(IntArray a, int i, int[] local, int j) { return a.get(i) * local[j] + 1; }
                    public static int once(int x) { return x; }
                }
                """);
        Source kernels = new Source("dev/UseDots.java", """
                package dev;
                import org.longnet.engine.api.*;
                public final class UseDots {
                    @Kernel
                    public static void k(KernelContext ctx, IntArray a, IntArray out) {
                        int[] tile = ctx.allocateIntLocalArray(4);
                        tile[ctx.localIdx] = 3;
                        ctx.localBarrier();
                        out.set(0, Dots.dot(a, 0, a, 1) + Dots.dot(a, 1, tile, 0) + Dots.once(2));
                    }
                }
                """);
        String cuda = compiles(List.of(), List.of(), library, kernels).file("dev/UseDots.cu");
        List<String> names = java.util.regex.Pattern.compile("dev_Dots_dot_IntArray_int_(IntArray|intArray)_int\\(").matcher(cuda).results()
                .map(m -> m.group()).distinct().toList();
        assertEquals(2, names.size(), "two C functions for the two overloads:\n" + cuda);
        assertTrue(cuda.contains("int dev_Dots_once(int x)"), "a name the class does not overload keeps its C name:\n" + cuda);
        Path compiled = compiles(List.of(), List.of(), library).out();
        assertEquals(cuda, compiles(List.of(compiled), List.of(), kernels).file("dev/UseDots.cu"), "the overloads read back from the class path");
    }

    @Test
    void recursionAcrossLibrariesAndCNameClashesFailTheKernelClass() {
        Source a = new Source("dev/A.java", """
                package dev;
                @org.longnet.engine.api.DeviceFunctions
                public final class A {
                    public static int f(int n) { return n <= 0 ? 0 : B.g(n - 1); }
                }
                """);
        Source b = new Source("dev/B.java", """
                package dev;
                @org.longnet.engine.api.DeviceFunctions
                public final class B {
                    public static int g(int n) { return A.f(n); }
                }
                """);
        Source kernels = new Source("dev/K.java", """
                package dev;
                import org.longnet.engine.api.*;
                public final class K {
                    @Kernel
                    public static void k(IntArray x) {
                        x.set(0, A.f(3) + dev_A_f(1) + twice(1) + (int) twice(1f));
                    }
                    static int dev_A_f(int n) { return n; }
                    static int twice(int n) { return 2 * n; }
                    static float twice(float n) { return 2 * n; }
                }
                """);
        Result r = TranslatingCompiler.compile(a, b, kernels);
        assertEquals(1, r.errors().size(), r.describe());
        assertEquals(3, r.errors().get(0).getLineNumber(), r.describe());
        assertTrue(r.errors().get(0).getMessage(null).contains("recursion is not allowed in a kernel (devices have no call stack): "
                + "A.f -> B.g -> A.f"), r.describe());
        Result clash = TranslatingCompiler.compile(a, new Source("dev/B.java", b.text().replace("A.f(n)", "n")), kernels);
        assertTrue(clash.errors().get(0).getMessage(null).contains("would both be"), clash.describe());
    }

    private static Result compiles(List<Path> classPath, List<String> options, Source... sources) {
        Result r = TranslatingCompiler.compile(classPath, options, sources);
        assertTrue(r.errors().isEmpty(), r.describe());
        return r;
    }

    private static void assertLibraryRejected(String library, int line, String message) {
        Result r = TranslatingCompiler.compile(new Source("dev/Lib.java", library));
        assertFalse(r.errors().isEmpty(), "the build should fail with: " + message);
        assertTrue(r.errors().get(0).getMessage(null).contains(message), "message should contain '" + message + "':\n" + r.describe());
        assertEquals(line, r.errors().get(0).getLineNumber(), r.describe());
        assertTrue(r.errors().get(0).getSource().getName().endsWith("Lib.java"), r.describe());
    }
}

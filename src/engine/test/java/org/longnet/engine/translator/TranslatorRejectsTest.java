package org.longnet.engine.translator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

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
                new Bad("object allocation", "for (@Parallel int i = 0; i < 4; i++) { Object o = new Object(); }", 8, "local variables of type java.lang.Object are not allowed"),
                new Bad("new inside an expression", "for (@Parallel int i = 0; i < 4; i++) { x.set(i, new float[2][0].length); }", 8, "object allocation is not allowed"),
                new Bad("library call", "for (@Parallel int i = 0; i < 4; i++) {\n x.set(i, (float) Math.sin(i)); }", 9, "calls to Math.sin are not allowed in a kernel; a kernel may call KernelMath"),
                new Bad("exception", "for (@Parallel int i = 0; i < 4; i++) {\n\n throw new IllegalStateException(); }", 10, "throw is not allowed in a kernel"),
                new Bad("try", "try { x.set(0, 1f); } finally { x.set(1, 2f); }", 8, "try is not allowed"),
                new Bad("recursion", "x.set(0, fact(5));\n }\n static float fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }\n static void unused() {", 10, "recursion is not allowed in a kernel"),
                new Bad("string", "for (@Parallel int i = 0; i < 4; i++) { String s = \"a\"; }", 8, "local variables of type java.lang.String"),
                new Bad("long loop kind", "for (@Parallel short i = 0; i < 4; i++) { x.set(i, 1f); }", 8, "must be int or long"),
                new Bad("parallel condition", "for (@Parallel int i = 0; 4 > i; i++) { x.set(i, 1f); }", 8, "condition must be"),
                new Bad("break in parallel loop", "for (@Parallel int i = 0; i < 4; i++) {\n if (i == 2) break; x.set(i, 1f); }", 9, "break out of a @Parallel loop"),
                new Bad("return in parallel loop", "for (@Parallel int i = 0; i < 4; i++) {\n if (i == 2) return; x.set(i, 1f); }", 9, "return inside a @Parallel loop"),
                new Bad("non-constant array size", "int n = 4; float[] t = new float[n];", 8, "must be a positive compile-time constant"),
                new Bad("mutable static field", "x.set(0, counter);\n }\n static float counter = 1f;\n static void unused() {", 8, "only local variables, parameters and static final constants"),
                new Bad("char", "char c = 'a';", 8, "local variables of type char"),
                new Bad("lambda", "Runnable r = () -> {};", 8, "local variables of type java.lang.Runnable"),
                new Bad("switch", "switch ((int) x.get(0)) { case 1: x.set(0, 2f); }", 8, "switch is not allowed"),
                new Bad("enhanced for", "for (float f : new float[] {1f}) { x.set(0, f); }", 8, "enhanced for loop is not allowed"),
                new Bad("bound from a later local", "for (int j = 0; j < 2; j++) {\n for (@Parallel int i = 0; i < j; i++) { x.set(i, 1f); } }", 9, "bounds of a @Parallel loop may use parameters"),
                new Bad("instance method kernel", "}\n @Kernel public void notStatic(FloatArray x) {", 9, "must be static"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(Bad bad) throws IOException {
        String source = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(FloatArray x) {


                %s
                    }
                }
                """.formatted(bad.body());
        List<Diagnostic<? extends JavaFileObject>> errors = compile(source);
        assertFalse(errors.isEmpty(), "the build should fail for " + bad.what());
        String all = errors.stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"));
        Diagnostic<? extends JavaFileObject> first = errors.get(0);
        assertTrue(first.getMessage(null).contains(bad.message()), "message should contain '" + bad.message() + "', was:\n" + all);
        assertEquals(bad.line(), first.getLineNumber(), "error line; all errors:\n" + all);
        assertTrue(first.getSource().getName().endsWith("Bad.java"), "error names the file");
    }

    @org.junit.jupiter.api.Test
    void helpersTakeLocalArraysButNotPrivateOnes() throws IOException {
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
        List<Diagnostic<? extends JavaFileObject>> errors = compile(kernel.formatted("fill(ctx, mine);"));
        assertFalse(errors.isEmpty(), "a private array passed to a helper must be rejected");
        assertTrue(errors.get(0).getMessage(null).contains("only work-group local arrays"), errors.toString());
        assertEquals(8, errors.get(0).getLineNumber());
        assertTrue(compile(kernel.formatted("fill(ctx, tile);")).isEmpty(), "a local array passed by name compiles");
    }

    @org.junit.jupiter.api.Test
    void mmaNeedsLocalTilesAndAPrivateAccumulator() throws IOException {
        String kernel = """
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(KernelContext ctx, FloatArray x) {
                        float[] tile = ctx.allocateFloatLocalArray(256);
                        float[] acc = new float[4];
                        float[] notLocal = new float[256];
                        %s
                    }
                }
                """;
        List<Diagnostic<? extends JavaFileObject>> errors = compile(kernel.formatted("ctx.mmaBf16(notLocal, 0, 16, tile, 0, 8, acc, 0);"));
        assertFalse(errors.isEmpty(), "a private A tile must be rejected");
        assertTrue(errors.get(0).getMessage(null).contains("mmaBf16 reads A and B from work-group local arrays"), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        errors = compile(kernel.formatted("ctx.mmaBf16(tile, 0, 16, tile, 0, 8, tile, 0);"));
        assertFalse(errors.isEmpty(), "a local accumulator must be rejected");
        assertTrue(errors.get(0).getMessage(null).contains("mmaBf16 accumulates into a private array"), errors.toString());
        assertTrue(compile(kernel.formatted("ctx.mmaBf16(tile, 0, 16, tile, 0, 8, acc, 0);")).isEmpty(), "the right use compiles");
    }

    @org.junit.jupiter.api.Test
    void acceptsAndTranslatesAGoodKernel() throws IOException {
        List<Diagnostic<? extends JavaFileObject>> errors = compile("""
                package bad;
                import org.longnet.engine.api.*;
                public class Bad {
                    @Kernel
                    public static void k(FloatArray x) {
                        for (@Parallel int i = 0; i < x.getSize(); i++) { x.set(i, KernelMath.exp(x.get(i))); }
                    }
                }
                """);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @org.junit.jupiter.api.Test
    void launchBoundsReachTheCudaSignature() throws IOException {
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
        Path out = Files.createTempDirectory("kernel-translator-test");
        assertTrue(compile(kernel.formatted("groupSize = 128, minGroupsPerUnit = 3"), out).isEmpty());
        String cuda = Files.readString(out.resolve("bad/Bad.cu"));
        assertTrue(cuda.contains("__global__ void __launch_bounds__(128, 3) k("), cuda);
        List<Diagnostic<? extends JavaFileObject>> errors = compile(kernel.formatted("groupSize = -1"));
        assertFalse(errors.isEmpty(), "a negative group size must be rejected");
        assertTrue(errors.get(0).getMessage(null).contains("@Kernel(groupSize) must be >= 0, was -1"), errors.toString());
    }

    /** Compiles one source with the kernel translator; returns the errors. */
    static List<Diagnostic<? extends JavaFileObject>> compile(String source) throws IOException {
        return compile(source, Files.createTempDirectory("kernel-translator-test"));
    }

    /** {@link #compile(String)} into {@code out}, where the generated files can be read. */
    static List<Diagnostic<? extends JavaFileObject>> compile(String source, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///bad/Bad.java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            List<String> options = List.of("-d", out.toString(), "-proc:full",
                    "-classpath", Path.of("target", "classes").toAbsolutePath().toString(),
                    "-processorpath", Path.of("target", "translator-classes").toAbsolutePath().toString(),
                    "-processor", "org.longnet.engine.translator.KernelProcessor");
            javac.getTask(null, files, diagnostics, options, null, List.of(file)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
}

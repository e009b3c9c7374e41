package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.translator.TranslatingCompiler.Result;
import org.longnet.engine.translator.TranslatingCompiler.Source;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels calling static methods of plain classes (no {@code @DeviceFunctions}), as TornadoVM's do: translated from
 * their source whichever class javac analyzes first, the class's host methods left alone, and one that cannot run on a
 * device, or whose body is not in the compilation, failing the build where the kernel calls it, with the reason.
 */
class SourceLibrariesTest {
    /** Sorts before the kernels: a helper, a helper calling a class of its own, a host method, an overloaded name. */
    static final Source A_UTIL = new Source("dev/AUtil.java", """
            package dev;
            public final class AUtil {
                public static float twice(float x) { return ZUtil.plusOne(x) + x - 1; }
                public static String host(float x) { return new StringBuilder().append(x).toString(); }
                public static float scaled(float x) { return x * host(x).length(); }
                public static float pick(float x) { return x; }
                public static int pick(int x) { return x; }
                public static float viaHost(float x) { return scaled(x) + 1; }
            }
            """);
    /** Sorts after the kernels. */
    static final Source Z_UTIL = new Source("dev/ZUtil.java", """
            package dev;
            public final class ZUtil {
                public static float plusOne(float x) { return x + 1; }
            }
            """);

    private static Source kernels(String body) {
        return new Source("dev/Kernels.java", """
                package dev;
                import org.longnet.engine.api.*;
                public final class Kernels {
                    @Kernel
                    public static void k(FloatArray x) {
                        for (@Parallel int i = 0; i < x.getSize(); i++) {
                            %s
                        }
                    }
                }
                """.formatted(body));
    }

    @Test
    void helpersOfOtherClassesAreTranslatedWhicheverClassJavacAnalyzesFirst() {
        Source k = kernels("x.set(i, AUtil.twice(x.get(i)) + ZUtil.plusOne(1f));");
        Result first = compiles(A_UTIL, k, Z_UTIL);
        String cl = first.file("dev/Kernels.cl");
        assertTrue(cl.contains("float dev_AUtil_twice(float x)") && cl.contains("float dev_ZUtil_plusOne(float x)"), cl);
        assertFalse(cl.contains("host"), "host code that no kernel calls stays out:\n" + cl);
        for (List<Source> order : List.of(List.of(Z_UTIL, k, A_UTIL), List.of(k, Z_UTIL, A_UTIL))) {
            for (String policy : List.of("-XDcompilePolicy=bytodo", "-XDcompilePolicy=simple")) {
                Result r = TranslatingCompiler.compile(List.of(), List.of(policy), order.toArray(Source[]::new));
                assertTrue(r.errors().isEmpty(), r.describe());
                assertEquals(cl, r.file("dev/Kernels.cl"), order.stream().map(Source::path).toList() + " with " + policy);
                assertEquals(first.file("dev/Kernels.cu"), r.file("dev/Kernels.cu"));
            }
        }
    }

    @Test
    void aHelperThatCannotRunFailsWhereTheKernelCallsIt() {
        assertRejected(kernels("x.set(i, AUtil.scaled(x.get(i)));"), "Kernels.java:7: kernel: cannot call AUtil.scaled: calls to String.length "
                + "are not allowed in a kernel");
        assertRejected(kernels("x.set(i, AUtil.scaled(x.get(i)));"), "(AUtil.java:5)");
        assertRejected(kernels("x.set(i, AUtil.viaHost(x.get(i)));"), "cannot call AUtil.viaHost: it calls AUtil.scaled, which cannot run on a "
                + "device: calls to String.length");
    }

    @Test
    void overloadsOfAnotherClassAreFunctionsOfTheirOwn() {
        Result r = compiles(A_UTIL, kernels("x.set(i, AUtil.pick(x.get(i)) + AUtil.pick(2));"), Z_UTIL);
        String c = r.file("dev/Kernels.cl");
        assertTrue(c.contains("dev_AUtil_pick_float(") && c.contains("dev_AUtil_pick_int("), "one C function per overload:\n" + c);
    }

    @Test
    void aHelperFromTheClassPathHasNoBodyToTranslate() {
        Path compiled = compiles(A_UTIL, Z_UTIL).out();
        Result r = TranslatingCompiler.compile(List.of(compiled), List.of(), kernels("x.set(i, AUtil.twice(x.get(i)));"));
        assertFalse(r.errors().isEmpty(), "a call of a class without source must fail the build");
        assertEquals(7, r.errors().get(0).getLineNumber(), r.describe());
        assertTrue(r.errors().get(0).getMessage(null).contains("the body of dev.AUtil.twice is not among the sources of this javac run"), r.describe());
    }

    private static Result compiles(Source... sources) {
        Result r = TranslatingCompiler.compile(sources);
        assertTrue(r.errors().isEmpty(), r.describe());
        return r;
    }

    private static void assertRejected(Source kernels, String message) {
        Result r = TranslatingCompiler.compile(A_UTIL, kernels, Z_UTIL);
        assertFalse(r.errors().isEmpty(), "the build should fail with: " + message);
        assertTrue(r.describe().contains(message), "should contain '" + message + "':\n" + r.describe());
    }
}

package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.TestDevices;
import org.longnet.engine.translator.FuzzRun.Failure;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java semantics that C lacks, each once broken in the generated C and found by {@link TranslatorFuzzTest}:
 * kernels that use them agree with their own Java on every test device (run and compared as the fuzz
 * test runs its kernels, random inputs included).
 */
class KernelJavaSemanticsTest {
    /** One construct: what it checks, the body of a {@code @Parallel} loop over {@code i} (outputs {@code oi}, {@code of}). */
    record Case(String what, String body) {
    }

    static final List<Case> CASES = List.of(
            new Case("int and long arithmetic wraps around (C's signed overflow is undefined, and compilers fold on it)", """
                    if (ba.getBits(i) <= Integer.MAX_VALUE * KernelMath.max(si, 98)) continue;
                    oi.set(i, ~(-(ia.get(i) << 31)) ^ ((ia.get(i) + 1 > ia.get(i)) ? 1 : 0));
                    long x = sl * ia.get(i);
                    x += Long.MAX_VALUE;
                    x *= 3;
                    of.set(i, (float) (x - sl));
                    """),
            new Case("the most negative int and long literals keep their type (C reads -2147483648 as a long)", """
                    oi.set(i, (ia.get(i) - Integer.MIN_VALUE) / 3 + (int) ((sl + i) / Long.MIN_VALUE) + (sl < Long.MIN_VALUE ? 1 : 0));
                    of.set(i, (float) ((0x80000000 - ia.get(i)) >> 1));
                    """),
            new Case("float remainders of mixed types are computed in the promoted type", """
                    float f = fa.get(i);
                    f %= sd;
                    of.set(i, f);
                    oi.set(i, (int) (sd % fa.get(i)) + (int) (ia.get(i) % sf));
                    """),
            new Case("KernelMath.abs of the most negative int or long is that value (C's abs leaves it undefined, and compilers fold on it)", """
                    oi.set(i, (KernelMath.abs(ia.get(i) | Integer.MIN_VALUE) < 0 ? 1 : 0) + (KernelMath.abs(Integer.MIN_VALUE + (si & 0)) < 0 ? 2 : 0));
                    of.set(i, KernelMath.abs(sl & Long.MIN_VALUE) < 0 ? 1f : 0f);
                    """),
            new Case("KernelMath arguments are widened as Java widens them (C's overloads of max(int, long) are ambiguous)", """
                    oi.set(i, (int) (KernelMath.max(ia.get(i), sl) ^ KernelMath.min(sl, 3)));
                    of.set(i, (float) KernelMath.max(ia.get(i), 2.5));
                    """),
            new Case("compound assignments to a short or byte compute in int (shifts of the sign-extended value; floats saturate to int first)", """
                    short s = (short) ia.get(i);
                    s >>>= (si & 3) + 1;
                    byte b = (byte) ia.get(i);
                    b <<= 30 + (si & 1);
                    short t = (short) ia.get(i);
                    t += sf;
                    oi.set(i, s * 65536 + (t & 0xFFFF));
                    byte u = (byte) ia.get(i);
                    u -= sd;
                    of.set(i, b * 256 + u);
                    """),
            new Case("compound assignments narrow as Java does (saturating from float and double)", """
                    int x = ia.get(i);
                    x += sf;
                    int y = ia.get(i);
                    y *= fa.get(i);
                    long z = sl;
                    z -= sd;
                    oi.set(i, x ^ y ^ (int) (z >>> 32));
                    int w = ia.get(i);
                    w %= fa.get(i);
                    of.set(i, w);
                    """),
            new Case("index arithmetic: signed at the top of an index, wrapping below a mask or a remainder", """
                    int k = ia.get(i);
                    oi.set(i, ia.get((k * 1000003 + 7) & 127) - ia.get(n - 1 - i) + ia.get((k * 65599 - i) % n * 0 + i / 2));
                    of.set(i, fa.get(2 * (i / 2) + 1 - (i & 1)) + fa.get(-(-i)) + fa.get((long) i * 3 % n));
                    """));

    /** The rule behind the index case above, in the generated C: which arithmetic is signed and which wraps. */
    @Test
    void indexArithmeticIsSignedOnlyAtTheTopOfAnIndex() {
        TranslatingCompiler.Result r = TranslatingCompiler.compile(new TranslatingCompiler.Source("ix/K.java", """
                package ix;
                import org.longnet.engine.api.*;
                public final class K {
                    @Kernel
                    public static void k(FloatArray x, FloatArray y, int n) {
                        for (@Parallel int i = 0; i < n; i++) {
                            y.set(i * 3 + 1, x.get((i * 5 + 2) & 7) + i * 4);
                        }
                        for (int j = 0; j < n; j += 3) {
                            y.set(j, j);
                        }
                    }
                }
                """));
        assertEquals("", r.describe());
        for (String file : List.of("ix/K.cu", "ix/K.cl")) {
            String c = r.file(file).replace("unsigned int", "uint");
            assertTrue(c.contains(") ((i * 3) + 1))]"), file + ": the index i * 3 + 1 in signed arithmetic:\n" + c);
            assertTrue(c.contains("(uint) i * (uint) 5") && c.contains("(uint) i * (uint) 4"),
                    file + ": i * 5 under the mask and i * 4 outside any index wrap:\n" + c);
            assertTrue(c.contains("; j += 3) {"), file + ": a loop counter's step is C's, as its ++ is:\n" + c);
        }
    }

    @Test
    void keptOnEveryDevice() {
        List<FuzzKernel> kernels = new java.util.ArrayList<>();
        for (int c = 0; c < CASES.size(); c++) {
            kernels.add(FuzzKernels.written(c, CASES.get(c).body(), 7, -5L, 3e9f, -1e19));
        }
        List<Failure> failures = FuzzBatch.run(kernels, TestDevices.ids(), null);
        assertEquals("", failures.stream().map(f -> CASES.get((int) f.seed()).what() + ": " + f.message())
                .collect(Collectors.joining("\n\n")));
    }
}

package org.longnet.engine.translator;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.engine.translator.FuzzType.DOUBLE;
import static org.longnet.engine.translator.FuzzType.FLOAT;
import static org.longnet.engine.translator.FuzzType.INT;

/**
 * The output arrays of a generated kernel and how each is compared with the reference. Exact outputs
 * ({@code int}, {@code short}, {@code float}, fp16, bf16) must match bit for bit, any NaN matching any NaN. An
 * approximate output holds one function that devices compute within a documented error, applied to
 * exactly computed arguments brought into the range where that error holds (finite: OpenCL leaves the
 * input range of its {@code native_} functions to the driver, and PoCL's native_sin of a constant NaN
 * is no value at all): its values are never read back, so the error cannot spread.
 */
final class FuzzOutputs {
    enum Kind { INT, FLOAT, HALF, BF16, SHORT, APPROXIMATE }

    /**
     * A device function with its error bound, {@code |device - reference| <= atol + rtol |reference|}.
     * KernelMath's float functions map to each device's fast builtins (OpenCL {@code native_*}, whose
     * accuracy the driver defines; CUDA's {@code __expf}, {@code __sinf} and kin, documented to a few ulp
     * in range, with exp's error growing with |x|), and OpenCL lets float division be 2.5 ulp off; the
     * arguments are reduced to where those bounds are small.
     */
    record Approximate(String name, String template, List<FuzzType> args, double rtol, double atol) {
        String apply(List<String> values) {
            return template.formatted(values.toArray());
        }
    }

    static final List<Approximate> FUNCTIONS = List.of(
            new Approximate("exp", "KernelMath.exp(%s %% 20f)", List.of(FLOAT), 2e-5, 1e-30),
            new Approximate("exp2", "KernelMath.exp2(%s %% 30f)", List.of(FLOAT), 2e-5, 1e-30),
            new Approximate("log", "KernelMath.log(KernelMath.abs(%s %% 10000f) + 0.001f)", List.of(FLOAT), 2e-5, 2e-6),
            new Approximate("sqrt", "KernelMath.sqrt(KernelMath.abs(%s))", List.of(FLOAT), 2e-6, 1e-30),
            new Approximate("rsqrt", "KernelMath.rsqrt(KernelMath.abs(%s %% 1000000f) + 0.5f)", List.of(FLOAT), 2e-5, 1e-30),
            new Approximate("tanh", "KernelMath.tanh(%s %% 30f)", List.of(FLOAT), 2e-5, 2e-6),
            new Approximate("sigmoid", "KernelMath.sigmoid(%s %% 20f)", List.of(FLOAT), 2e-5, 2e-6),
            new Approximate("sin", "KernelMath.sin(%s %% 3.1415f)", List.of(FLOAT), 0, 1e-5),
            new Approximate("cos", "KernelMath.cos(%s %% 3.1415f)", List.of(FLOAT), 0, 1e-5),
            new Approximate("pow", "KernelMath.pow(KernelMath.abs(%s %% 100f) + 0.5f, %s %% 8f)", List.of(FLOAT, FLOAT), 2e-5, 1e-30),
            new Approximate("division", "(%s / (KernelMath.abs(%s %% 1000f) + 1f))", List.of(FLOAT, FLOAT), 2e-6, 1e-37),
            new Approximate("multiply-add", "(KernelMath.abs(%s) * KernelMath.abs(%s) + KernelMath.abs(%s))", List.of(FLOAT, FLOAT, FLOAT),
                    2e-6, 1e-37),
            new Approximate("exp(double)", "((float) KernelMath.exp(%s %% 80.0))", List.of(DOUBLE), 1e-6, 1e-37),
            new Approximate("log(double)", "((float) KernelMath.log(KernelMath.abs(%s) + 1e-300))", List.of(DOUBLE), 1e-6, 1e-6));

    /** One output parameter: {@code function} is set for approximate outputs. */
    record Output(String name, Kind kind, Approximate function) {
        String javaType() {
            return switch (kind) {
                case INT -> "IntArray";
                case FLOAT, APPROXIMATE -> "FloatArray";
                case HALF -> "HalfFloatArray";
                case BF16 -> "BFloat16Array";
                case SHORT -> "ShortArray";
            };
        }
    }

    private FuzzOutputs() {
    }

    /** An int and a float output always, fp16, bf16 and short outputs often, and one or two approximate ones. */
    static List<Output> choose(SplittableRandom r) {
        List<Output> outs = new java.util.ArrayList<>(List.of(new Output("oi", Kind.INT, null), new Output("of", Kind.FLOAT, null)));
        if (r.nextBoolean()) {
            outs.add(new Output("oh", Kind.HALF, null));
        }
        if (r.nextBoolean()) {
            outs.add(new Output("ob", Kind.BF16, null));
        }
        if (r.nextBoolean()) {
            outs.add(new Output("os", Kind.SHORT, null));
        }
        for (int k = r.nextInt(1, 3); k > 0; k--) {
            outs.add(new Output("ot" + k, Kind.APPROXIMATE, FUNCTIONS.get(r.nextInt(FUNCTIONS.size()))));
        }
        return outs;
    }

    /** One statement per output, each writing its element {@code index}. */
    static void writeAll(FuzzStatements s, List<Output> outputs, String index, FuzzExpressions e, SplittableRandom r) {
        for (Output o : outputs) {
            s.line(write(o, index, e, 4, r));
        }
    }

    /** The statement that writes element {@code index} of the output. */
    static String write(Output o, String index, FuzzExpressions e, int depth, SplittableRandom r) {
        String value = switch (o.kind()) {
            case INT -> e.of(INT, depth, false);
            case SHORT -> "((short) " + e.of(INT, depth, false) + ")";
            case FLOAT, HALF, BF16 -> e.of(FLOAT, depth, true);
            case APPROXIMATE -> o.function().apply(o.function().args().stream()
                    .map(t -> (t == FLOAT ? FuzzExpressions.FINITE : FuzzExpressions.FINITE_DOUBLE) + "(" + e.of(t, depth - 1, true) + ")").toList());
        };
        return o.name() + ".set(" + index + ", " + value + ");";
    }
}

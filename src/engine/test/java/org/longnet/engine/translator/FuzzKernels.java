package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzExpressions.Helper;
import org.longnet.engine.translator.FuzzKernel.Param;
import org.longnet.engine.translator.FuzzKernel.Role;
import org.longnet.engine.translator.FuzzKernel.Shape;
import org.longnet.engine.translator.FuzzOutputs.Output;
import org.longnet.engine.translator.FuzzScope.Var;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

import static org.longnet.engine.translator.FuzzExpressions.SIZE;
import static org.longnet.engine.translator.FuzzType.BOOLEAN;
import static org.longnet.engine.translator.FuzzType.INT;

/**
 * Writes one random kernel from a seed, of one of the three kinds: {@code @Parallel} loops (1D in
 * several loop forms, or 2D), a {@code KernelContext} kernel exchanging values through work-group
 * local memory between barriers, or a single work-item kernel (a sequential pass that may also write
 * anywhere). Its helpers become device functions. Every element of every output is written by one
 * work-item at most, so the result does not depend on scheduling.
 */
final class FuzzKernels {
    private static final int[] GROUP_SIZES = {8, 16, 32, 64};

    private final SplittableRandom r;
    private final long seed;
    private final List<Helper> helpers = new ArrayList<>();
    private final StringBuilder source = new StringBuilder();

    private FuzzKernels(long seed) {
        this.seed = seed;
        this.r = new SplittableRandom(seed);
    }

    static FuzzKernel generate(long seed) {
        return new FuzzKernels(seed).kernel();
    }

    private FuzzKernel kernel() {
        Shape shape = Shape.values()[r.nextInt(Shape.values().length)];
        int n = r.nextInt(1, 240);
        int rows = 0, cols = 0;
        if (shape == Shape.PARALLEL_2D) {
            rows = r.nextInt(1, 16);
            cols = r.nextInt(1, 20);
            n = rows * cols;
        }
        int group = GROUP_SIZES[r.nextInt(GROUP_SIZES.length)];
        long[] local = switch (shape) {
            case CONTEXT -> new long[] {group};
            case PARALLEL -> r.nextBoolean() ? null : new long[] {r.nextInt(1, 40)};
            case PARALLEL_2D -> r.nextBoolean() ? null : new long[] {r.nextInt(1, 9), r.nextInt(1, 5)};
            case SINGLE -> null;
        };
        for (int h = r.nextInt(3); h > 0; h--) {
            helper();
        }
        FuzzWorkGroup workGroup = new FuzzWorkGroup(r, group);
        if (shape == Shape.CONTEXT && r.nextBoolean()) {
            source.append(workGroup.localReader("k" + seed + "l"));
        }
        List<Output> outputs = FuzzOutputs.choose(r);
        List<Param> sizes = new ArrayList<>(List.of(new Param(SIZE, Role.SCALAR, null, n)));
        if (shape == Shape.PARALLEL_2D) {
            sizes.add(new Param("rows", Role.SCALAR, null, rows));
            sizes.add(new Param("cols", Role.SCALAR, null, cols));
        }
        List<Param> params = parameters(shape == Shape.CONTEXT, outputs, sizes,
                FuzzValues.anInt(r), FuzzValues.aLong(r), FuzzValues.aFloat(r), FuzzValues.aDouble(r), r.nextBoolean());

        FuzzScope scope = new FuzzScope();
        for (Param p : params) {
            if (p.role() == Role.SCALAR) {
                scope.declareReadOnly(FuzzType.valueOf(p.javaType().toUpperCase()), p.name());
            }
        }
        FuzzExpressions e = new FuzzExpressions(r, scope);
        e.inputs = true;
        e.helpers.addAll(helpers);
        FuzzStatements s = new FuzzStatements(r, scope, e, 2);
        source.append("    @Kernel\n    public static void k").append(seed).append("(").append(signature(params)).append(") {\n");
        switch (shape) {
            case PARALLEL -> parallel(s, scope, e, outputs);
            case PARALLEL_2D -> parallel2d(s, scope, e, outputs);
            case CONTEXT -> workGroup.body(s, scope, e, outputs);
            case SINGLE -> single(s, e, outputs);
        }
        source.append(s.text()).append("    }\n");
        return new FuzzKernel(seed, shape, source.toString(), params, n, local);
    }

    /**
     * A written (not generated) {@code @Parallel} kernel with the generated kernels' inputs and an int and
     * a float output, {@code body} inside {@code for (@Parallel int i = 0; i < n; i++)}: for tests of
     * particular constructs, run and checked as generated kernels are.
     */
    static FuzzKernel written(long id, String body, int si, long sl, float sf, double sd) {
        int n = 200;
        List<Param> params = parameters(false, List.of(new Output("oi", FuzzOutputs.Kind.INT, null), new Output("of", FuzzOutputs.Kind.FLOAT, null)),
                List.of(new Param(SIZE, Role.SCALAR, null, n)), si, sl, sf, sd, true);
        String source = "    @Kernel\n    public static void k" + id + "(" + signature(params) + ") {\n"
                + "        for (@Parallel int i = 0; i < n; i++) {\n" + body.strip().indent(12) + "        }\n    }\n";
        return new FuzzKernel(id, Shape.PARALLEL, source, params, n, null);
    }

    /** Every kernel's parameters, in order: the context (if any), the five inputs, the outputs, the sizes, then one scalar of each type. */
    private static List<Param> parameters(boolean context, List<Output> outputs, List<Param> sizes, int si, long sl, float sf, double sd, boolean sb) {
        List<Param> params = new ArrayList<>();
        if (context) {
            params.add(new Param("ctx", Role.CONTEXT, null, null));
        }
        params.add(new Param(FuzzExpressions.FLOATS, Role.FLOATS, null, null));
        params.add(new Param(FuzzExpressions.INTS, Role.INTS, null, null));
        params.add(new Param(FuzzExpressions.HALVES, Role.HALVES, null, null));
        params.add(new Param(FuzzExpressions.BF16S, Role.BF16S, null, null));
        params.add(new Param(FuzzExpressions.SHORTS, Role.SHORTS, null, null));
        outputs.forEach(o -> params.add(new Param(o.name(), Role.OUTPUT, o, null)));
        params.addAll(sizes);
        params.add(new Param("si", Role.SCALAR, null, si));
        params.add(new Param("sl", Role.SCALAR, null, sl));
        params.add(new Param("sf", Role.SCALAR, null, sf));
        params.add(new Param("sd", Role.SCALAR, null, sd));
        params.add(new Param("sb", Role.SCALAR, null, sb));
        return List.copyOf(params);
    }

    private static String signature(List<Param> params) {
        StringJoiner signature = new StringJoiner(", ");
        params.forEach(p -> signature.add(p.javaType() + " " + p.name()));
        return signature.toString();
    }

    /** A static helper (a device function) of random scalar parameters and result, which may call earlier helpers. */
    private void helper() {
        FuzzScope scope = new FuzzScope();
        FuzzExpressions e = new FuzzExpressions(r, scope);
        e.helpers.addAll(helpers);
        List<FuzzType> types = new ArrayList<>();
        StringJoiner params = new StringJoiner(", ");
        for (int k = r.nextInt(1, 4); k > 0; k--) {
            FuzzType t = r.nextInt(6) == 0 ? BOOLEAN : e.numeric();
            Var v = scope.declare(t, scope.fresh("a"));
            types.add(t);
            params.add(t.java + " " + v.name());
        }
        FuzzType result = e.numeric();
        String name = "k" + seed + "h" + helpers.size();
        FuzzStatements s = new FuzzStatements(r, scope, e, 2);
        s.statements(r.nextInt(1, 5), 2);
        s.line("return " + e.of(result, 3, false) + ";");
        source.append("    static ").append(result.java).append(' ').append(name).append('(').append(params).append(") {\n")
                .append(s.text()).append("    }\n\n");
        helpers.add(new Helper(name, result, types));
    }

    /**
     * {@code for (@Parallel ...)} in one of the forms the translator takes (int or long index, an
     * offset start, a step, an inclusive bound, a bound from getSize), after a few statements that the
     * loop's iterations only read.
     */
    private void parallel(FuzzStatements s, FuzzScope scope, FuzzExpressions e, List<Output> outputs) {
        s.statements(r.nextInt(0, 3), 1);
        String header;
        switch (r.nextInt(5)) {
            case 0 -> {
                header = "for (@Parallel long i = 0; i < " + outputs.get(0).name() + ".getSize(); i++)";
                e.element = "((int) i)";
            }
            case 1 -> {
                s.line("int first = si & 3;");
                scope.declareReadOnly(INT, "first");
                header = "for (@Parallel int i = first; i < n; i += " + r.nextInt(1, 4) + ")";
                e.element = "i";
            }
            case 2 -> {
                header = "for (@Parallel int i = 0; i <= n - 1; i += (int) (sl & 1) + 1)";
                e.element = "i";
            }
            default -> {
                header = "for (@Parallel int i = 0; i < n; i++)";
                e.element = "i";
            }
        }
        scope.freezeAll();
        int saved = s.enterUnbreakable();
        s.open(header);
        parallelBody(s, e, outputs);
        s.close();
        s.leaveUnbreakable(saved);
    }

    private void parallel2d(FuzzStatements s, FuzzScope scope, FuzzExpressions e, List<Output> outputs) {
        scope.freezeAll();
        int saved = s.enterUnbreakable();
        s.open("for (@Parallel int r = 0; r < rows; r++)");
        s.open("for (@Parallel int c = 0; c < cols; c++)");
        s.line("int i = r * cols + c;");
        scope.declareReadOnly(INT, "i");
        scope.declareReadOnly(INT, "r");
        scope.declareReadOnly(INT, "c");
        e.element = "i";
        parallelBody(s, e, outputs);
        s.close();
        s.close();
        s.leaveUnbreakable(saved);
    }

    /** Statements, perhaps a {@code continue} (the element's outputs then keep their poison), and one write per output. */
    private void parallelBody(FuzzStatements s, FuzzExpressions e, List<Output> outputs) {
        s.statements(r.nextInt(2, 6), 3);
        if (r.nextInt(3) == 0) {
            s.line("if " + FuzzStatements.parenthesized(e.condition(2)) + " continue;");
        }
        FuzzOutputs.writeAll(s, outputs, "i", e, r);
    }

    /** A sequential pass over the elements, with writes anywhere and early returns; then a few more statements. */
    private void single(FuzzStatements s, FuzzExpressions e, List<Output> outputs) {
        s.returns = true;
        s.extra = () -> FuzzOutputs.write(outputs.get(r.nextInt(outputs.size())), e.index(2), e, 3, r);
        s.statements(r.nextInt(0, 4), 2);
        s.plainLoop("for (int i = 0; i < n; i++)", "i", INT, () -> {
            e.element = "i";
            s.statements(r.nextInt(2, 6), 3);
            FuzzOutputs.writeAll(s, outputs, "i", e, r);
        });
        e.element = null;
        s.statements(r.nextInt(0, 3), 2);
    }
}

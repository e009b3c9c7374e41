package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzScope.Array;
import org.longnet.engine.translator.FuzzScope.Var;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.engine.translator.FuzzType.BOOLEAN;
import static org.longnet.engine.translator.FuzzType.DOUBLE;
import static org.longnet.engine.translator.FuzzType.FLOAT;
import static org.longnet.engine.translator.FuzzType.INT;
import static org.longnet.engine.translator.FuzzType.LONG;

/**
 * Random well-typed Java expressions of a requested type, fully parenthesized, free of side effects
 * (C leaves the order of side effects inside an expression unspecified, so those stay statements).
 * Every expression is defined for all inputs in Java and in C: divisors are never 0 or -1, array
 * indices stay in range, float {@code min}/{@code max} and {@code floatToIntBits} see neither NaN (whose
 * handling and bits the devices' builtins do not promise) nor a negative zero.
 * <p>
 * A float or double <em>product</em> never reaches an addition or subtraction, directly or through a
 * variable: devices may fuse {@code a * b + c} into one rounding ({@code -cl-mad-enable}, nvcc's default
 * {@code --fmad}), so only where {@code productOk} may an expression be a product (operands of
 * comparisons, casts to integers, products, divisions, remainders, {@code KernelMath} arguments,
 * stores to outputs). With that, every float operation generated here rounds the same way on every
 * device, bit for bit; float division is done in double, which OpenCL and CUDA round exactly (float
 * division, which OpenCL lets be 2.5 ulp off, is left to {@link FuzzOutputs}' approximate outputs).
 */
final class FuzzExpressions {
    static final String FLOATS = "fa", INTS = "ia", HALVES = "ha", BF16S = "ba", SHORTS = "sa", SIZE = "n";
    /** Turns NaN into 0 and -0 into +0, so that float min and max agree on every device. */
    static final String ORDERED = "fuzzOrdered", ORDERED_DOUBLE = "fuzzOrderedDouble";
    /** Turns NaN and infinities into 0: the arguments of the approximate functions. */
    static final String FINITE = "fuzzFinite", FINITE_DOUBLE = "fuzzFiniteDouble";
    /** floatToIntBits with NaN as 0: NaN's payload differs between devices. */
    static final String BITS = "fuzzBits";
    /**
     * Turns NaN into 0, keeping -0 and infinities: the argument of floor and ceil. PoCL 3.1's library
     * assumes these functions never see NaN, so one its compiler can see as a constant ({@code
     * KernelMath.ceil(Float.NaN)}, or {@code 0f / 0f} folded first) becomes no value at all, and the store
     * of it vanishes; a NaN known only at run time comes back as NaN, but the generator cannot tell which.
     */
    static final String NOT_NAN = "fuzzNotNaN";
    private static final String[] NARROW = {"short", "char", "byte"};
    private static final String[] SHIFT_COUNTS = {"0", "1", "5", "31", "32", "33", "63", "64", "65", "(-1)", "(-33)", "100"};

    /** A static helper method of the kernel's class that expressions may call. */
    record Helper(String name, FuzzType result, List<FuzzType> params) {
    }

    private final SplittableRandom r;
    private final FuzzScope scope;
    /** Helpers callable from the method being written (each calls only earlier ones: no recursion). */
    final List<Helper> helpers = new ArrayList<>();
    /** Whether the kernel's input arrays and its size {@code n} are visible (in the kernel, not in a helper). */
    boolean inputs;
    /** Whether a {@code KernelContext ctx} is visible. */
    boolean context;
    /** An int expression for this iteration's or work-item's element, in [0, n), or null outside one. */
    String element;

    FuzzExpressions(SplittableRandom r, FuzzScope scope) {
        this.r = r;
        this.scope = scope;
    }

    String of(FuzzType t, int depth, boolean productOk) {
        if (depth <= 0 || r.nextInt(5) == 0) {
            return leaf(t, depth);
        }
        return switch (t) {
            case INT, LONG -> integral(t, depth - 1);
            case FLOAT, DOUBLE -> floating(t, depth - 1, productOk);
            case BOOLEAN -> condition(depth - 1);
        };
    }

    String condition(int depth) {
        if (depth <= 0) {
            return leaf(BOOLEAN, 0);
        }
        return switch (r.nextInt(10)) {
            case 0, 1, 2, 3 -> {
                FuzzType a = numeric(), b = r.nextInt(3) == 0 ? numeric() : a;
                String[] ops = {" < ", " <= ", " > ", " >= ", " == ", " != "};
                yield "(" + of(a, depth, true) + ops[r.nextInt(ops.length)] + of(b, depth, true) + ")";
            }
            case 4 -> "(" + condition(depth - 1) + (r.nextBoolean() ? " && " : " || ") + condition(depth - 1) + ")";
            case 5 -> "(!" + condition(depth - 1) + ")";
            case 6 -> {
                String[] ops = {" == ", " != ", " ^ ", " & ", " | "};
                yield "(" + condition(depth - 1) + ops[r.nextInt(ops.length)] + condition(depth - 1) + ")";
            }
            case 7 -> {
                String x = of(r.nextBoolean() ? FLOAT : DOUBLE, depth - 1, true);
                yield "(" + x + " != " + x + ")";
            }
            case 8 -> overflowProbe(depth);
            default -> "(" + condition(depth - 1) + " ? " + condition(depth - 1) + " : " + condition(depth - 1) + ")";
        };
    }

    /** Comparisons a C compiler may fold by assuming signed arithmetic never overflows; Java wraps. */
    private String overflowProbe(int depth) {
        FuzzType t = r.nextBoolean() ? INT : LONG;
        String v = atom(t);
        String k = FuzzValues.literal(t, r);
        return switch (r.nextInt(4)) {
            case 0 -> "((" + v + " + " + k + ") < " + v + ")";
            case 1 -> "((" + v + " - " + k + ") > " + v + ")";
            case 2 -> "(((" + v + " * 2) / 2) != " + v + ")";
            default -> "((-" + v + ") == " + v + ")";
        };
    }

    private String integral(FuzzType t, int d) {
        return switch (r.nextInt(13)) {
            case 0, 1, 2 -> {
                FuzzType[] p = integralPair(t);
                String[] ops = {" + ", " - ", " * ", " & ", " | ", " ^ "};
                yield "(" + of(p[0], d, false) + ops[r.nextInt(ops.length)] + of(p[1], d, false) + ")";
            }
            case 3 -> {
                FuzzType[] p = integralPair(t);
                yield "(" + of(p[0], d, false) + (r.nextBoolean() ? " / " : " % ") + divisor(p[1], d) + ")";
            }
            case 4, 5 -> {
                String[] ops = {" << ", " >> ", " >>> "};
                String count = r.nextInt(3) == 0 ? SHIFT_COUNTS[r.nextInt(SHIFT_COUNTS.length)] : of(r.nextBoolean() ? INT : LONG, d, false);
                yield "(" + of(t, d, false) + ops[r.nextInt(ops.length)] + count + ")";
            }
            case 6 -> "(" + (r.nextBoolean() ? "-" : "~") + of(t, d, false) + ")";
            case 7 -> "(" + condition(d) + " ? " + of(t, d, false) + " : " + of(t, d, false) + ")";
            case 8, 9 -> {
                FuzzType from = r.nextInt(3) == 0 ? (t == INT ? LONG : INT) : r.nextBoolean() ? FLOAT : DOUBLE;
                String value = of(from, d, true);
                // through a 16- or 8-bit type (a float through int first, as Java narrows it) and back
                yield r.nextInt(4) == 0 ? "((" + t.java + ") ((" + NARROW[r.nextInt(NARROW.length)] + ") " + value + "))"
                        : "((" + t.java + ") " + value + ")";
            }
            case 10, 11 -> integralMath(t, d);
            default -> call(t, d);
        };
    }

    private String integralMath(FuzzType t, int d) {
        if (t == LONG || r.nextBoolean()) {
            return "KernelMath." + (r.nextBoolean() ? "min(" : "max(") + of(t, d, false) + ", " + of(t, d, false) + ")";
        }
        return r.nextBoolean() ? "KernelMath.abs(" + of(INT, d, false) + ")" : BITS + "(" + of(FLOAT, d, true) + ")";
    }

    /** A divisor that is never 0 nor -1 (Java throws on 0; C leaves MIN_VALUE / -1 undefined, and x86 traps on it). */
    private String divisor(FuzzType t, int d) {
        String x = of(t, d, false);
        return r.nextBoolean() ? "((" + x + " & 1023) + 2)" : "(-(" + x + " & 1023) - 2)";
    }

    private String floating(FuzzType t, int d, boolean productOk) {
        return switch (r.nextInt(14)) {
            case 0, 1, 2 -> {
                FuzzType[] p = floatingPair(t);
                yield "(" + of(p[0], d, false) + (r.nextBoolean() ? " + " : " - ") + of(p[1], d, false) + ")";
            }
            case 3, 4 -> {
                FuzzType[] p = floatingPair(t);
                if (!productOk) {
                    yield "(" + of(p[0], d, false) + " - " + of(p[1], d, false) + ")";
                }
                yield "(" + of(p[0], d, true) + " * " + of(p[1], d, true) + ")";
            }
            case 5 -> {
                FuzzType[] p = floatingPair(DOUBLE);
                String quotient = "(" + of(p[0], d, true) + " / " + of(p[1], d, true) + ")";
                yield t == DOUBLE ? quotient : "((float) " + quotient + ")";
            }
            case 6 -> {
                FuzzType[] p = floatingPair(t);
                yield "(" + of(p[0], d, true) + " % " + of(p[1], d, true) + ")";
            }
            case 7 -> "(-" + of(t, d, productOk) + ")";
            case 8 -> "(" + condition(d) + " ? " + of(t, d, productOk) + " : " + of(t, d, productOk) + ")";
            case 9, 10 -> {
                FuzzType from = r.nextInt(3) == 0 ? (t == FLOAT ? DOUBLE : FLOAT) : r.nextBoolean() ? INT : LONG;
                yield "((" + t.java + ") " + of(from, d, productOk) + ")";
            }
            case 11, 12 -> t == FLOAT ? floatMath(d) : doubleMath(d);
            default -> call(t, d);
        };
    }

    private String floatMath(int d) {
        return switch (r.nextInt(6)) {
            case 0 -> "KernelMath.abs(" + of(FLOAT, d, true) + ")";
            case 1 -> "KernelMath." + (r.nextBoolean() ? "floor(" : "ceil(") + NOT_NAN + "(" + of(FLOAT, d, true) + "))";
            case 2 -> "KernelMath.fma(" + of(FLOAT, d, true) + ", " + of(FLOAT, d, true) + ", " + of(FLOAT, d, true) + ")";
            case 3, 4 -> "KernelMath." + (r.nextBoolean() ? "min(" : "max(") + ORDERED + "(" + of(FLOAT, d, true) + "), "
                    + ORDERED + "(" + of(FLOAT, d, true) + "))";
            default -> "KernelMath.intBitsToFloat(" + of(INT, d, false) + ")";
        };
    }

    private String doubleMath(int d) {
        return switch (r.nextInt(3)) {
            case 0 -> "KernelMath.abs(" + of(DOUBLE, d, true) + ")";
            case 1 -> "KernelMath.sqrt(" + of(DOUBLE, d, true) + ")";
            default -> "KernelMath." + (r.nextBoolean() ? "min(" : "max(") + ORDERED_DOUBLE + "(" + of(DOUBLE, d, true) + "), "
                    + ORDERED_DOUBLE + "(" + of(DOUBLE, d, true) + "))";
        };
    }

    /** A call of a helper returning {@code t}; its arguments may not be products (the helper may add them). */
    private String call(FuzzType t, int d) {
        List<Helper> fitting = helpers.stream().filter(h -> h.result() == t).toList();
        if (fitting.isEmpty()) {
            return leaf(t, d);
        }
        Helper h = fitting.get(r.nextInt(fitting.size()));
        List<String> args = new ArrayList<>();
        for (FuzzType p : h.params()) {
            args.add(of(p, d, false));
        }
        return h.name() + "(" + String.join(", ", args) + ")";
    }

    private String leaf(FuzzType t, int depth) {
        for (int tries = 0; tries < 4; tries++) {
            String s = switch (r.nextInt(8)) {
                case 0, 1 -> FuzzValues.literal(t, r);
                case 2, 3, 4 -> variable(t);
                case 5, 6 -> input(t, depth);
                default -> privateRead(t, depth);
            };
            if (s != null) {
                return s;
            }
        }
        return FuzzValues.literal(t, r);
    }

    /** A literal, a variable, this element or a work-item id: what an index or a probe is made from. */
    String atom(FuzzType t) {
        if (t == INT && r.nextInt(3) == 0) {
            String id = identity();
            if (id != null) {
                return id;
            }
        }
        String v = r.nextInt(3) > 0 ? variable(t) : null;
        return v != null ? v : FuzzValues.literal(t, r);
    }

    private String variable(FuzzType t) {
        List<Var> vars = scope.visible(t);
        return vars.isEmpty() ? null : vars.get(r.nextInt(vars.size())).name();
    }

    private String identity() {
        List<String> ids = new ArrayList<>();
        if (element != null) {
            ids.add(element);
        }
        if (context) {
            ids.addAll(List.of("ctx.localIdx", "ctx.globalIdx", "ctx.groupIdx", "ctx.localGroupSizeX", "ctx.globalGroupSizeX"));
        }
        return ids.isEmpty() ? null : ids.get(r.nextInt(ids.size()));
    }

    private String input(FuzzType t, int depth) {
        if (t == INT && r.nextInt(3) == 0) {
            return identity();
        }
        if (!inputs) {
            return null;
        }
        String i = index(depth);
        return switch (t) {
            case INT -> switch (r.nextInt(6)) {
                case 0 -> BF16S + ".getBits(" + i + ")";
                case 1 -> SHORTS + ".get(" + i + ")";
                default -> INTS + ".get(" + i + ")";
            };
            case LONG -> "((long) " + INTS + ".get(" + i + "))";
            case FLOAT -> new String[] {FLOATS, FLOATS, HALVES, BF16S}[r.nextInt(4)] + ".get(" + i + ")";
            case DOUBLE -> "((double) " + FLOATS + ".get(" + i + "))";
            case BOOLEAN -> "(" + INTS + ".get(" + i + ") > 0)";
        };
    }

    /** An index into the kernel's inputs, in [0, n). */
    String index(int depth) {
        if (element != null && r.nextBoolean()) {
            return r.nextBoolean() ? element : "((" + element + " + " + r.nextInt(1, 5) + ") % " + SIZE + ")";
        }
        String x = depth > 1 ? of(INT, Math.min(depth - 1, 2), false) : atom(INT);
        return "((" + x + " & 0x7FFFFFFF) % " + SIZE + ")";
    }

    private String privateRead(FuzzType t, int depth) {
        if (t != INT && t != FLOAT) {
            return null;
        }
        List<Array> arrays = scope.arrays(t);
        if (arrays.isEmpty()) {
            return null;
        }
        Array a = arrays.get(r.nextInt(arrays.size()));
        return a.name() + "[" + maskedIndex(a, depth) + "]";
    }

    /** An index into a private or local array: any int expression, masked into its (power-of-two) size. */
    String maskedIndex(Array a, int depth) {
        String x = depth > 1 ? of(INT, Math.min(depth - 1, 2), false) : atom(INT);
        return "(" + x + " & " + (a.size() - 1) + ")";
    }

    FuzzType numeric() {
        return FuzzType.NUMERIC[r.nextInt(FuzzType.NUMERIC.length)];
    }

    /** Operand types whose promotion is {@code t} (int or long). */
    private FuzzType[] integralPair(FuzzType t) {
        if (t == INT) {
            return new FuzzType[] {INT, INT};
        }
        return switch (r.nextInt(4)) {
            case 0 -> new FuzzType[] {LONG, INT};
            case 1 -> new FuzzType[] {INT, LONG};
            default -> new FuzzType[] {LONG, LONG};
        };
    }

    /** Operand types whose promotion is {@code t} (float or double): mixed with integers and, for double, floats. */
    private FuzzType[] floatingPair(FuzzType t) {
        if (r.nextInt(5) < 3) {
            return new FuzzType[] {t, t};
        }
        FuzzType other = t == FLOAT ? FuzzType.INTEGRAL[r.nextInt(2)] : FuzzType.NUMERIC[r.nextInt(3)];
        return r.nextBoolean() ? new FuzzType[] {t, other} : new FuzzType[] {other, t};
    }
}

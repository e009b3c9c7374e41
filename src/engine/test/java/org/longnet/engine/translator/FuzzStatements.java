package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzScope.Array;
import org.longnet.engine.translator.FuzzScope.Var;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.engine.translator.FuzzType.BOOLEAN;
import static org.longnet.engine.translator.FuzzType.DOUBLE;
import static org.longnet.engine.translator.FuzzType.FLOAT;
import static org.longnet.engine.translator.FuzzType.INT;
import static org.longnet.engine.translator.FuzzType.LONG;

/**
 * Random statements for a generated method: declarations, assignments and compound assignments (with
 * Java's implicit narrowing, {@code int x; x += 1e10f}), short and byte locals, increments, branches, loops that always end
 * (a counter the body cannot write, a bound of at most 8), {@code break} and {@code continue} under
 * conditions, private arrays, and {@code return} where the method allows it. Barriers and work-group
 * local memory are {@link FuzzKernels}' business: they must be reached by every work-item of a group.
 */
final class FuzzStatements {
    private final SplittableRandom r;
    private final FuzzScope scope;
    private final FuzzExpressions e;
    private final StringBuilder out = new StringBuilder();
    private int indent;
    /** Plain loops around the statement being written since the last loop that may not be left early. */
    private int breakableLoops;
    /** Loops of any kind around the statement being written: nesting is capped so work stays small. */
    private int loopDepth;
    /** Whether {@code if (...) return;} may be written (a single work-item kernel's body). */
    boolean returns;
    /** Extra statements the kernel kind allows anywhere (a single work-item kernel's scattered output writes), or null. */
    java.util.function.Supplier<String> extra;

    FuzzStatements(SplittableRandom r, FuzzScope scope, FuzzExpressions e, int indent) {
        this.r = r;
        this.scope = scope;
        this.e = e;
        this.indent = indent;
    }

    String text() {
        return out.toString();
    }

    void line(String s) {
        out.append("    ".repeat(indent)).append(s).append('\n');
    }

    void open(String header) {
        line(header + " {");
        indent++;
        scope.push();
    }

    void close() {
        scope.pop();
        indent--;
        line("}");
    }

    /** Marks the loop being opened as one that {@code break} may not leave ({@code @Parallel}, or holding barriers). */
    int enterUnbreakable() {
        int saved = breakableLoops;
        breakableLoops = 0;
        return saved;
    }

    void leaveUnbreakable(int saved) {
        breakableLoops = saved;
    }

    /** {@code count} random statements at the current nesting. */
    void statements(int count, int depth) {
        for (int k = 0; k < count; k++) {
            statement(depth);
        }
    }

    private void statement(int depth) {
        int choice = r.nextInt(depth > 0 ? 20 : 12);
        switch (choice) {
            case 0, 1, 2, 3 -> declare();
            case 4, 5 -> assign(false);
            case 6, 7 -> assign(true);
            case 8 -> {
                if (r.nextBoolean()) {
                    increment();
                } else {
                    narrow();
                }
            }
            case 9 -> privateArray();
            case 10 -> arrayWrite();
            case 11 -> jumpOrExtra();
            case 12, 13, 14 -> branch(depth);
            default -> loop(depth);
        }
    }

    Var declare() {
        FuzzType t = r.nextInt(6) == 0 ? BOOLEAN : e.numeric();
        return declare(t, e.of(t, 3, false));
    }

    Var declare(FuzzType t, String init) {
        Var v = scope.declare(t, scope.fresh("v"));
        line(t.java + " " + v.name() + " = " + init + ";");
        return v;
    }

    /**
     * A {@code short} or {@code byte} local, from an int, changed by compound assignments (Java computes
     * each in int or wider, then narrows: a float result through int) and from then on read as an int.
     */
    private void narrow() {
        String type = r.nextBoolean() ? "short" : "byte";
        String v = scope.fresh("v");
        line(type + " " + v + " = (" + type + ") " + e.of(INT, 3, false) + ";");
        for (int k = r.nextInt(1, 3); k > 0; k--) {
            line(compound(v, INT) + ";");
        }
        scope.declareReadOnly(INT, v);
    }

    /** {@code v = value;} or {@code v op= value;} for a variable this code may write, or a declaration where there is none. */
    private void assign(boolean compound) {
        FuzzType t = r.nextInt(6) == 0 ? BOOLEAN : e.numeric();
        List<Var> vs = scope.writable(t);
        if (vs.isEmpty()) {
            declare();
            return;
        }
        String v = vs.get(r.nextInt(vs.size())).name();
        line((compound ? compound(v, t) : v + " = " + e.of(t, 3, false)) + ";");
    }

    /**
     * {@code target op= value} for a target of type {@code t}. Java narrows the result to the target's
     * type (saturating from float); a float target is never multiplied (it would hold a product).
     */
    private String compound(String target, FuzzType t) {
        if (t == BOOLEAN) {
            return target + " " + new String[] {"&=", "|=", "^="}[r.nextInt(3)] + " " + e.condition(2);
        }
        if (t.integral()) {
            return switch (r.nextInt(8)) {
                case 0, 1 -> target + (r.nextBoolean() ? " += " : " -= ") + e.of(e.numeric(), 3, false);
                case 2 -> target + " *= " + e.of(e.numeric(), 2, true);
                case 3 -> r.nextBoolean()
                        ? target + (r.nextBoolean() ? " /= " : " %= ") + "((" + e.of(FuzzType.INTEGRAL[r.nextInt(2)], 2, false) + " & 255) + 2)"
                        : target + (r.nextBoolean() ? " /= " + e.of(DOUBLE, 2, true) : " %= " + e.of(r.nextBoolean() ? FLOAT : DOUBLE, 2, true));
                case 4, 5 -> target + " " + new String[] {"&=", "|=", "^="}[r.nextInt(3)] + " " + e.of(FuzzType.INTEGRAL[r.nextInt(2)], 3, false);
                default -> target + " " + new String[] {"<<=", ">>=", ">>>="}[r.nextInt(3)] + " " + e.of(FuzzType.INTEGRAL[r.nextInt(2)], 2, false);
            };
        }
        return switch (r.nextInt(4)) {
            case 0, 1 -> target + (r.nextBoolean() ? " += " : " -= ") + e.of(e.numeric(), 3, false);
            case 2 -> target + " %= " + e.of(e.numeric(), 2, true);
            default -> target + " /= " + e.of(DOUBLE, 2, true); // in double: exact on every device
        };
    }

    /**
     * {@code v++}, {@code --v} and kin. The translator keeps C's {@code ++} and {@code --} (loop counters),
     * where stepping past the type's range is undefined: an int or long is stepped only inside it.
     */
    private void increment() {
        FuzzType t = e.numeric();
        List<Var> vs = scope.writable(t);
        if (vs.isEmpty()) {
            declare();
            return;
        }
        String v = vs.get(r.nextInt(vs.size())).name();
        int form = r.nextInt(4);
        String step = new String[] {v + "++;", v + "--;", "++" + v + ";", "--" + v + ";"}[form];
        boolean up = form % 2 == 0;
        String box = t == INT ? "Integer" : "Long";
        line(t.integral() ? "if (" + v + (up ? " != " + box + ".MAX_VALUE) " : " != " + box + ".MIN_VALUE) ") + step : step);
    }

    /** A zero-filled private array, then a few element writes. */
    private void privateArray() {
        if (scope.arrays(INT).size() + scope.arrays(FLOAT).size() >= 3) {
            arrayWrite();
            return;
        }
        FuzzType t = r.nextBoolean() ? INT : FLOAT;
        int size = 1 << r.nextInt(0, 5);
        Array a = scope.declareArray(t, size, scope.fresh("p"));
        line(t.java + "[] " + a.name() + " = new " + t.java + "[" + size + "];");
        arrayWrite(a);
    }

    private void arrayWrite() {
        FuzzType t = r.nextBoolean() ? INT : FLOAT;
        List<Array> as = scope.writableArrays(t);
        if (as.isEmpty()) {
            privateArray();
            return;
        }
        arrayWrite(as.get(r.nextInt(as.size())));
    }

    private void arrayWrite(Array a) {
        String element = a.name() + "[" + e.maskedIndex(a, 2) + "]";
        line((r.nextInt(3) == 0 ? compound(element, a.element()) : element + " = " + e.of(a.element(), 3, false)) + ";");
    }

    private void jumpOrExtra() {
        if (breakableLoops > 0 && r.nextBoolean()) {
            line("if " + parenthesized(e.condition(2)) + " " + (r.nextBoolean() ? "break;" : "continue;"));
        } else if (returns && r.nextInt(3) == 0) {
            line("if " + parenthesized(e.condition(2)) + " return;");
        } else if (extra != null) {
            line(extra.get());
        } else {
            declare();
        }
    }

    private void branch(int depth) {
        open("if " + parenthesized(e.condition(3)));
        statements(r.nextInt(1, 3), depth - 1);
        close();
        if (r.nextBoolean()) {
            out.setLength(out.length() - 1);
            out.append(" else {\n");
            indent++;
            scope.push();
            statements(r.nextInt(1, 3), depth - 1);
            close();
        }
    }

    /** A for, while or do loop of at most 8 iterations, whose counter the body only reads. */
    private void loop(int depth) {
        if (loopDepth >= 2) {
            branch(depth);
            return;
        }
        loopDepth++;
        breakableLoops++;
        String bound = r.nextBoolean() ? Integer.toString(r.nextInt(1, 9)) : "(" + e.of(INT, 2, false) + " & 7)";
        String c = scope.fresh("j");
        switch (r.nextInt(5)) {
            case 0, 1 -> {
                line("for (int " + c + " = 0; " + c + " < " + bound + "; " + c + "++) {");
                body(c, INT, depth, null);
            }
            case 2 -> {
                line("for (long " + c + " = " + bound + "; " + c + " > 0; " + c + " -= 2) {");
                body(c, LONG, depth, null);
            }
            case 3 -> {
                line("int " + c + " = 0;");
                scope.declareReadOnly(INT, c);
                line("while (" + c + " < " + bound + ") {");
                body(null, INT, depth, c + "++;");
            }
            default -> {
                line("int " + c + " = 0;");
                scope.declareReadOnly(INT, c);
                line("do {");
                body(null, INT, depth, c + "++;");
                out.setLength(out.length() - 1);
                out.append(" while (" + c + " < " + bound + " && " + e.condition(2) + ");\n");
            }
        }
        breakableLoops--;
        loopDepth--;
    }

    /** A loop the caller writes the header of; {@code body} writes its statements, which only read the counter. */
    void plainLoop(String header, String counter, FuzzType counterType, Runnable body) {
        loopDepth++;
        breakableLoops++;
        open(header);
        scope.declareReadOnly(counterType, counter);
        body.run();
        close();
        breakableLoops--;
        loopDepth--;
    }

    /** A loop body: the counter declared read-only inside it (for loops), or incremented first (while and do, so continue cannot skip it). */
    private void body(String counter, FuzzType counterType, int depth, String first) {
        indent++;
        scope.push();
        if (counter != null) {
            scope.declareReadOnly(counterType, counter);
        }
        if (first != null) {
            line(first);
        }
        statements(r.nextInt(1, 3), depth - 1);
        close();
    }

    /**
     * The condition in one wrapping pair of parentheses. Not with the translator's Expressions.unparen: loading that class needs
     * jdk.compiler (com.sun.source), which the GPU machine's runtime lacks, and the kernels are generated there too.
     */
    static String parenthesized(String condition) {
        for (int i = 0, depth = 0; i < condition.length() - 1; i++) {
            depth += condition.charAt(i) == '(' ? 1 : condition.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return "(" + condition + ")"; // the first '(' closes before the end, or there is none: not one wrapping pair
            }
        }
        return condition.length() > 1 && condition.endsWith(")") ? condition : "(" + condition + ")";
    }
}

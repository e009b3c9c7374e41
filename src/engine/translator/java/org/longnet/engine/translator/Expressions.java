package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;
import java.util.List;

import static org.longnet.engine.translator.JavaTypes.isFloating;
import static org.longnet.engine.translator.JavaTypes.isPrimitive;
import static org.longnet.engine.translator.JavaTypes.simple;

/**
 * Java expressions as C, keeping the Java semantics C lacks: {@code >>>}, shift counts masked to
 * the operand width, saturating float-to-int casts, {@code %} on floats. Every expression comes out
 * fully parenthesized, so C's precedence never matters; {@link #unparen} drops the outer pair where
 * a whole expression stands alone.
 */
final class Expressions {
    private final MethodScope s;
    private final Calls calls;
    /** TornadoVM's vector values and collections. */
    final Vectors vectors;

    Expressions(MethodScope scope) {
        this.s = scope;
        this.vectors = new Vectors(scope, this);
        this.calls = new Calls(scope, this);
    }

    String expr(ExpressionTree e) {
        return switch (e.getKind()) {
            case PARENTHESIZED -> "(" + unparen(expr(((ParenthesizedTree) e).getExpression())) + ")";
            case INT_LITERAL, LONG_LITERAL, FLOAT_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL, CHAR_LITERAL -> literal(((LiteralTree) e).getValue(), e);
            case IDENTIFIER -> identifier((IdentifierTree) e);
            case MEMBER_SELECT -> memberSelect((MemberSelectTree) e);
            case METHOD_INVOCATION -> calls.call((MethodInvocationTree) e);
            case ASSIGNMENT -> assignment((AssignmentTree) e);
            case CONDITIONAL_EXPRESSION -> {
                ConditionalExpressionTree c = (ConditionalExpressionTree) e;
                yield "(" + expr(c.getCondition()) + " ? " + expr(c.getTrueExpression()) + " : " + expr(c.getFalseExpression()) + ")";
            }
            case TYPE_CAST -> cast((TypeCastTree) e);
            case ARRAY_ACCESS -> arrayAccess((ArrayAccessTree) e);
            case UNARY_MINUS, UNARY_PLUS, LOGICAL_COMPLEMENT, BITWISE_COMPLEMENT, PREFIX_INCREMENT, PREFIX_DECREMENT,
                 POSTFIX_INCREMENT, POSTFIX_DECREMENT -> unary((UnaryTree) e);
            default -> {
                if (e instanceof BinaryTree b) {
                    yield binary(b);
                }
                if (e instanceof CompoundAssignmentTree c) {
                    yield compound(c);
                }
                if (e instanceof NewClassTree n && vectors.vectorOf(n) != null) {
                    yield vectors.construct(n);
                }
                if (e instanceof NewClassTree n && HalfFloats.isHalfFloat(s.typeOf(n))) {
                    yield HalfFloats.construct(s, this, n);
                }
                if (e.getKind() == Tree.Kind.NEW_CLASS || e.getKind() == Tree.Kind.NEW_ARRAY) {
                    throw new Rejected(e, "object allocation is not allowed in a kernel; only 'new float[CONSTANT]' or "
                            + "'new int[CONSTANT]' as a local variable's initializer" + JavaTypes.hostOnly(s.javaType(e)));
                }
                if (e.getKind() == Tree.Kind.STRING_LITERAL || e.getKind() == Tree.Kind.NULL_LITERAL) {
                    throw new Rejected(e, Rejected.kindName(e) + "s are not allowed in a kernel; allowed: int, long, float, "
                            + "double and boolean values");
                }
                throw new Rejected(e, Rejected.kindName(e) + " is not allowed in a kernel");
            }
        };
    }

    /** Folds int constants: literals, static final fields, and + - * / of those; null where it is not one. */
    Object constant(ExpressionTree e) {
        if (e instanceof ParenthesizedTree p) {
            return constant(p.getExpression());
        }
        if (e instanceof LiteralTree l) {
            return l.getValue();
        }
        if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
            if (!(s.element(e) instanceof VariableElement v)) {
                return null;
            }
            if (v.getConstantValue() != null) {
                return v.getConstantValue();
            }
            // a local never assigned after its declaration holds its initializer's value: int tile = 32 is as final int tile = 32
            return v.getKind() == ElementKind.LOCAL_VARIABLE && s.unchangedInitializer(v) instanceof ExpressionTree init ? constant(init) : null;
        }
        if (e instanceof BinaryTree b && constant(b.getLeftOperand()) instanceof Integer x
                && constant(b.getRightOperand()) instanceof Integer y) {
            return switch (b.getKind()) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case MULTIPLY -> x * y;
                case DIVIDE -> y == 0 ? null : x / y;
                default -> null;
            };
        }
        return null;
    }

    /**
     * An array index as C. The {@code + - *} at the top of the index, down to the first other operation, are C's signed
     * ones rather than {@link #wrapping}: an int index that overflows is out of bounds in Java but for contrived
     * cases, and kernel-language.md leaves it undefined, so the compiler may do the index arithmetic in the address's
     * 64 bits instead of wrapping it at 32 bits first. Below any other operation ({@code (i * 1000003) & 255}) the
     * arithmetic wraps as Java's.
     */
    String index(ExpressionTree e) {
        String type = s.javaType(e);
        if (e instanceof ParenthesizedTree p) {
            return "(" + unparen(index(p.getExpression())) + ")";
        }
        if (e instanceof BinaryTree b && isWrapping(b.getKind()) && isIntegral(type)) {
            return "(" + index(b.getLeftOperand()) + " " + operator(b.getKind()) + " " + index(b.getRightOperand()) + ")";
        }
        if (e instanceof UnaryTree u && u.getKind() == Tree.Kind.UNARY_MINUS && isIntegral(type)) {
            return "(-" + index(u.getExpression()) + ")";
        }
        return expr(e);
    }

    /**
     * A for loop's update. {@code i += step} and {@code i -= step} on an int or long counter are C's own, as
     * {@code ++} is: the compiler then knows the counter's progression and keeps its fast loop forms (a counter that
     * overflows is a bug in Java too, so a kernel's must stay in range). Other updates are {@link #expr}.
     */
    String loopStep(ExpressionTree e) {
        if (e instanceof CompoundAssignmentTree c && (c.getKind() == Tree.Kind.PLUS_ASSIGNMENT || c.getKind() == Tree.Kind.MINUS_ASSIGNMENT)
                && isIntegral(s.javaType(c.getVariable())) && promoted(s.javaType(c.getVariable()), s.javaType(c.getExpression()))
                .equals(s.javaType(c.getVariable()))) {
            checkAssignable(c.getVariable());
            return "(" + expr(c.getVariable()) + " " + operator(c.getKind()) + "= " + unparen(expr(c.getExpression())) + ")";
        }
        return expr(e);
    }

    private String literal(Object v, Tree where) {
        return switch (v) {
            // C reads -2147483648 as minus a literal too large for int (so a long), and the long one as unsigned
            case Integer i when i == Integer.MIN_VALUE -> "(-2147483647 - 1)";
            case Integer i -> i.toString();
            case Long l when l == Long.MIN_VALUE -> "(-9223372036854775807L - 1L)";
            case Long l -> l + "L";
            case Float f when f.isNaN() || f.isInfinite() -> Intrinsics.floatFromBits(s.d, "0x" + Integer.toHexString(Float.floatToRawIntBits(f)));
            case Float f -> Float.toString(f) + "f";
            case Double x when x.isNaN() || x.isInfinite() -> "((double) " + literal(x.floatValue(), where) + ")";
            case Double x -> Double.toString(x);
            case Boolean b -> b.toString();
            case Character c -> Integer.toString(c);
            // byte and short constants (Byte.MIN_VALUE) are ints in C's arithmetic, as in Java's
            case Byte b -> b.toString();
            case Short x -> x.toString();
            default -> throw new Rejected(where, "constants of type " + v.getClass().getSimpleName()
                    + " are not allowed in a kernel");
        };
    }

    private String identifier(IdentifierTree id) {
        Element e = s.element(id);
        if (e instanceof VariableElement v && (e.getKind() == ElementKind.LOCAL_VARIABLE || e.getKind() == ElementKind.PARAMETER)) {
            if (JavaTypes.name(v.asType()).equals(JavaTypes.CONTEXT)) {
                throw new Rejected(id, "a KernelContext can only be used to read its fields and call its methods");
            }
            if (vectors.isKernelParameter(id)) {
                return vectors.parameterValue(id);
            }
            return CNames.of(id.getName().toString());
        }
        return fieldConstant(id, e);
    }

    private String fieldConstant(ExpressionTree where, Element e) {
        if (e instanceof VariableElement v && e.getKind() == ElementKind.FIELD && v.getConstantValue() != null) {
            return literal(v.getConstantValue(), where);
        }
        return StaticFields.read(s, e, where); // a static field read at each launch, or refused with the reason
    }

    private String memberSelect(MemberSelectTree m) {
        String receiver = s.javaType(m.getExpression());
        String member = m.getIdentifier().toString();
        if (receiver.equals(JavaTypes.CONTEXT)) {
            return workItemField(m, member);
        }
        if (member.equals("length") && RowArrays.length(s, this, m.getExpression()) instanceof String length) {
            return length;
        }
        if (SimdgroupMatrices.is(s.typeOf(m.getExpression()))) {
            throw new Rejected(m, "a kernel reads a Matrix8x8Float with get(row, col), not through its " + member + ": on a device a tile "
                    + "is a value that each work-item holds, and no kernel may change one");
        }
        if (member.equals("length") && m.getExpression() instanceof IdentifierTree id && s.globalArrays.contains(id.getName().toString())) {
            return "((int) " + CNames.of(id.getName().toString()) + "_len)";
        }
        if (member.equals("length") && m.getExpression() instanceof IdentifierTree id && s.sizedLocalLengths.containsKey(id.getName().toString())) {
            return s.sizedLocalLengths.get(id.getName().toString());
        }
        if (member.equals("length") && m.getExpression() instanceof IdentifierTree id
                && s.arraySizes.containsKey(id.getName().toString())) {
            return HelperLocals.knownLength(id, s);
        }
        Element field = s.element(m);
        if (!(field instanceof VariableElement v && v.getConstantValue() != null)) {
            expr(m.getExpression()); // reports what is wrong inside first, such as an allocation
        }
        return fieldConstant(m, field);
    }

    private String workItemField(Tree where, String field) {
        record Field(Dialect.WorkItem what, String prefix) {
        }
        for (Field f : List.of(new Field(Dialect.WorkItem.GLOBAL_ID, "globalId"), new Field(Dialect.WorkItem.LOCAL_ID, "localId"),
                new Field(Dialect.WorkItem.GROUP_ID, "groupId"), new Field(Dialect.WorkItem.GLOBAL_SIZE, "globalGroupSize"),
                new Field(Dialect.WorkItem.LOCAL_SIZE, "localGroupSize"))) {
            if (field.startsWith(f.prefix) && field.length() == f.prefix.length() + 1) {
                int dim = "xyz".indexOf(Character.toLowerCase(field.charAt(field.length() - 1)));
                return "((int) " + s.d.workItem(f.what, dim) + ")";
            }
        }
        throw new Rejected(where, "KernelContext." + field + " cannot be used in a kernel");
    }

    private String arrayAccess(ArrayAccessTree a) {
        if (RowArrays.access(s, this, a) instanceof String element) {
            return element;
        }
        if (a.getExpression() instanceof MemberSelectTree m && SimdgroupMatrices.is(s.typeOf(m.getExpression()))) {
            memberSelect(m); // refuses a tile's storage with the reason
        }
        if (!(a.getExpression() instanceof IdentifierTree id)
                || !s.arraySizes.containsKey(id.getName().toString()) && !s.globalArrays.contains(id.getName().toString())) {
            MmaCalls.checkNotIndexed(s, a);
            throw new Rejected(a, "only private or local arrays declared in this method, and a kernel's Java array parameters, can be "
                    + "indexed with []; use get/set on FloatArray and friends");
        }
        return CNames.of(id.getName().toString()) + "[" + unparen(index(a.getIndex())) + "]";
    }

    private String assignment(AssignmentTree a) {
        if (vectors.vectorOf(a.getVariable()) != null) {
            vectors.checkNotKernelParameter(a.getVariable());
            vectors.checkNotShared(a.getExpression());
            return "(" + expr(a.getVariable()) + " = " + unparen(expr(a.getExpression())) + ")";
        }
        if (s.javaType(a.getVariable()).endsWith("[]")) {
            return MmaCalls.makesFragment(s, a.getExpression()) ? MmaCalls.assign(s, this, a) : arrayAlias(a);
        }
        if (!SimdgroupMatrices.is(s.typeOf(a.getVariable()))) { // a tile never changes in a kernel, so a copy stands for a second name
            checkAssignable(a.getVariable());
        }
        return "(" + expr(a.getVariable()) + " = " + unparen(expr(a.getExpression())) + ")";
    }

    /**
     * {@code b = a} on private arrays: b, a pointer to its storage ({@link Statements}), now points at a's. The C arrays
     * live as long as their block, Java's as long as a name holds them, so a must be declared in a block around b's (or
     * b's own) and have b's length, which {@code b.length} reads.
     */
    private String arrayAlias(AssignmentTree a) {
        ExpressionTree value = LoopDependence.unparen(a.getExpression());
        if (!(a.getVariable() instanceof IdentifierTree target) || !(value instanceof IdentifierTree source)
                || !(s.element(target) instanceof VariableElement t) || t.getKind() != ElementKind.LOCAL_VARIABLE
                || !(s.element(source) instanceof VariableElement v) || v.getKind() != ElementKind.LOCAL_VARIABLE
                || s.localArrays.contains(target.getName().toString()) || s.localArrays.contains(source.getName().toString())) {
            throw new Rejected(a, "an array variable can be reassigned in a kernel only to another private array (b = a, both "
                    + "'new T[CONSTANT]' locals of the kernel)");
        }
        Integer targetSize = s.arraySizes.get(target.getName().toString()), sourceSize = s.arraySizes.get(source.getName().toString());
        if (targetSize == null || !targetSize.equals(sourceSize) || s.sizedLocalLengths.containsKey(target.getName().toString())) {
            throw new Rejected(a, target.getName() + " (" + targetSize + " elements) and " + source.getName() + " (" + sourceSize
                    + ") must be private arrays of one constant length to be assigned one to the other in a kernel");
        }
        Tree sourceBlock = s.path(s.declarationOf(v)).getParentPath().getLeaf();
        boolean outlives = false;
        for (com.sun.source.util.TreePath p = s.path(s.declarationOf(t)); p != null; p = p.getParentPath()) {
            outlives |= p.getLeaf() == sourceBlock;
        }
        if (!outlives) {
            throw new Rejected(a, source.getName() + " is declared in an inner block of " + target.getName() + "'s, so its storage would "
                    + "end before " + target.getName() + " does: declare " + source.getName() + " beside " + target.getName());
        }
        return "(" + expr(target) + " = " + expr(source) + ")";
    }

    private void checkAssignable(ExpressionTree target) {
        if (target instanceof IdentifierTree id && s.element(id) instanceof VariableElement v && v.getKind() == ElementKind.FIELD) {
            throw new Rejected(target, "fields cannot be written in a kernel; write to an array parameter instead");
        }
        String type = s.javaType(target);
        // char is a value only (no char locals), but an element of a char[] parameter may be stored
        if (!isPrimitive(type) && !(type.equals("char") && LoopDependence.unparen(target) instanceof ArrayAccessTree)) {
            throw new Rejected(target, "a variable of type " + type + " cannot be reassigned in a kernel");
        }
    }

    /**
     * {@code target op= value} as Java has it: computed in the promoted type of both sides, then narrowed to the
     * target's type ({@code int x; x += 1e10f} saturates). The target is written twice where C's own compound
     * assignment would not do that, so it must have no side effects of its own (an index like {@code a[k++]}).
     */
    private String compound(CompoundAssignmentTree c) {
        checkAssignable(c.getVariable());
        String type = s.javaType(c.getVariable());
        String target = expr(c.getVariable());
        String value = expr(c.getExpression());
        String in = promoted(type, s.javaType(c.getExpression()));
        Tree.Kind kind = c.getKind();
        if (kind == Tree.Kind.REMAINDER_ASSIGNMENT && isFloating(in)) {
            String remainder = s.d.floatRemainder(in, as(in, c.getVariable(), target), as(in, c.getExpression(), value));
            return "(" + target + " = " + (isFloating(type) ? remainder : floatToIntegral(in, type, remainder)) + ")";
        }
        if (isFloating(in) && !isFloating(type)) {
            return "(" + target + " = " + floatToIntegral(in, type, target + " " + operator(kind) + " " + value) + ")";
        }
        if (isWrapping(kind) && isIntegral(in)) {
            return "(" + target + " = " + wrapping(in, target, operator(kind), value) + ")";
        }
        // Java shifts a short, byte or char target as the int it promotes to, then narrows the result
        String shifted = type.equals("long") ? "long" : "int";
        return switch (kind) {
            case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> "(" + target + " = " + unsignedShift(shifted, target, value) + ")";
            case LEFT_SHIFT_ASSIGNMENT -> "(" + target + " = " + wrapping(shifted, target, "<<", shiftCount(shifted, value)) + ")";
            case RIGHT_SHIFT_ASSIGNMENT -> "(" + target + " >>= " + shiftCount(shifted, value) + ")";
            default -> "(" + target + " " + operator(kind) + "= " + unparen(value) + ")";
        };
    }

    private String binary(BinaryTree b) {
        String type = s.javaType(b);
        String left = expr(b.getLeftOperand());
        String right = expr(b.getRightOperand());
        if (vectors.vectorOf(b.getLeftOperand()) != null || vectors.vectorOf(b.getRightOperand()) != null
                || SimdgroupMatrices.is(s.typeOf(b.getLeftOperand())) || SimdgroupMatrices.is(s.typeOf(b.getRightOperand()))) {
            throw new Rejected(b, "== and != on vectors and tiles compare objects in Java, which a kernel's vectors and tiles are not: compare their lanes");
        }
        HalfFloats.checkCompared(s, b.getLeftOperand(), b.getRightOperand());
        if (!isPrimitive(type)) {
            throw new Rejected(b, "operations on " + simple(type) + " are not allowed in a kernel");
        }
        if (b.getKind() == Tree.Kind.REMAINDER && isFloating(type)) {
            return s.d.floatRemainder(type, as(type, b.getLeftOperand(), left), as(type, b.getRightOperand(), right));
        }
        if (isWrapping(b.getKind()) && isIntegral(type)) {
            return wrapping(type, left, operator(b.getKind()), right);
        }
        return switch (b.getKind()) {
            case UNSIGNED_RIGHT_SHIFT -> unsignedShift(type, left, right);
            case LEFT_SHIFT -> wrapping(type, left, "<<", shiftCount(type, right));
            case RIGHT_SHIFT -> "(" + left + " >> " + shiftCount(type, right) + ")";
            default -> "(" + left + " " + operator(b.getKind()) + " " + right + ")";
        };
    }

    /**
     * {@code value}, the C of {@code operand}, converted to the Java type {@code to} unless it has that type: as Java
     * promotes the operands of {@code %} (C's fmod is overloaded for float and double, so mixed operands are ambiguous).
     */
    private String as(String to, ExpressionTree operand, String value) {
        return s.javaType(operand).equals(to) ? value : "((" + s.d.type(to) + ") " + value + ")";
    }

    /** A float or double converted to an integral type as Java does: saturating to int or long (NaN to 0), to short, byte or char through int. */
    private String floatToIntegral(String from, String to, String value) {
        return to.equals("int") || to.equals("long") ? s.d.saturatingCast(from, to, value)
                : "((" + s.d.type(to) + ") " + s.d.saturatingCast(from, "int", value) + ")";
    }

    /** Java's binary numeric promotion of two primitive operand types. */
    private static String promoted(String a, String b) {
        for (String wider : List.of("double", "float", "long")) {
            if (a.equals(wider) || b.equals(wider)) {
                return wider;
            }
        }
        return "int";
    }

    /** + - * and their compound assignments: where int and long arithmetic can overflow. */
    private static boolean isWrapping(Tree.Kind kind) {
        return switch (kind) {
            case PLUS, MINUS, MULTIPLY, PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT -> true;
            default -> false;
        };
    }

    private static boolean isIntegral(String type) {
        return type.equals("int") || type.equals("long");
    }

    /**
     * {@code left op right} in {@code type} (int or long), wrapping around as Java does: C leaves signed overflow
     * undefined, and compilers act on that (they fold {@code x + 1 > x} to true), so it is done in the unsigned type.
     */
    private String wrapping(String type, String left, String op, String right) {
        String unsigned = "(" + s.d.unsignedOf(type) + ") ";
        return "((" + s.d.type(type) + ") (" + unsigned + left + " " + op + " " + (op.equals("<<") ? right : unsigned + right) + "))";
    }

    /** Java masks shift counts to the operand width; C leaves larger counts undefined. */
    private String shiftCount(String type, String count) {
        return "(" + count + " & " + (type.equals("long") ? 63 : 31) + ")";
    }

    private String unsignedShift(String type, String value, String count) {
        return "((" + s.d.type(type) + ") ((" + s.d.unsignedOf(type) + ") " + value + " >> " + shiftCount(type, count) + "))";
    }

    private String unary(UnaryTree u) {
        String operand = expr(u.getExpression());
        if (u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.POSTFIX_DECREMENT
                || u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_DECREMENT) {
            checkAssignable(u.getExpression());
        }
        return switch (u.getKind()) {
            case UNARY_MINUS -> isIntegral(s.javaType(u)) ? "((" + s.d.type(s.javaType(u)) + ") -(" + s.d.unsignedOf(s.javaType(u)) + ") "
                    + operand + ")" : "(-" + operand + ")";
            case UNARY_PLUS -> operand;
            case LOGICAL_COMPLEMENT -> "(!" + operand + ")";
            case BITWISE_COMPLEMENT -> "(~" + operand + ")";
            case PREFIX_INCREMENT -> "(++" + operand + ")";
            case PREFIX_DECREMENT -> "(--" + operand + ")";
            case POSTFIX_INCREMENT -> "(" + operand + "++)";
            case POSTFIX_DECREMENT -> "(" + operand + "--)";
            default -> throw new IllegalStateException(u.getKind().toString());
        };
    }

    private String cast(TypeCastTree c) {
        String to = s.javaType(c);
        String from = s.javaType(c.getExpression());
        String value = expr(c.getExpression());
        if (!JavaTypes.isValue(to) || to.equals("boolean")) {
            throw new Rejected(c, "casts to " + simple(to) + " are not allowed in a kernel; allowed: int, long, float, double, short, byte, char");
        }
        if (to.equals(from)) {
            return value;
        }
        if (isFloating(from) && !isFloating(to)) {
            return floatToIntegral(from, to, unparen(value));
        }
        return "((" + s.d.type(to) + ") " + value + ")";
    }

    private static String operator(Tree.Kind kind) {
        return switch (kind) {
            case PLUS, PLUS_ASSIGNMENT -> "+";
            case MINUS, MINUS_ASSIGNMENT -> "-";
            case MULTIPLY, MULTIPLY_ASSIGNMENT -> "*";
            case DIVIDE, DIVIDE_ASSIGNMENT -> "/";
            case REMAINDER, REMAINDER_ASSIGNMENT -> "%";
            case LESS_THAN -> "<";
            case GREATER_THAN -> ">";
            case LESS_THAN_EQUAL -> "<=";
            case GREATER_THAN_EQUAL -> ">=";
            case EQUAL_TO -> "==";
            case NOT_EQUAL_TO -> "!=";
            case CONDITIONAL_AND -> "&&";
            case CONDITIONAL_OR -> "||";
            case AND, AND_ASSIGNMENT -> "&";
            case OR, OR_ASSIGNMENT -> "|";
            case XOR, XOR_ASSIGNMENT -> "^";
            default -> throw new IllegalStateException("operator " + kind);
        };
    }

    /** {@code s} without one pair of parentheses around the whole of it, if it has one. */
    static String unparen(String s) {
        if (s.length() < 2 || s.charAt(0) != '(' || s.charAt(s.length() - 1) != ')') {
            return s;
        }
        int depth = 0;
        for (int i = 0; i < s.length() - 1; i++) {
            depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return s; // the first '(' closes before the end: not one wrapping pair
            }
        }
        return s.substring(1, s.length() - 1);
    }
}

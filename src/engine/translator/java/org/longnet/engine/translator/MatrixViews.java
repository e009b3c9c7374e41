package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.List;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * Views of more than one dimension ({@code @KernelView(dimensions = 2 or 3)}, TornadoVM's matrices): a row-major
 * array whose extents follow its length as int parameters, {@code m_rows}, {@code m_cols} and (in 3D) {@code m_depth},
 * as the engine passes them ({@code DeviceArrayView.extents()}). Their methods are spelled here rather than in
 * {@link Intrinsics}, whose rows are the engine's own methods. A point is a scalar, or a vector of
 * {@code longnet_vectors.h} ({@code Matrix2DFloat4}) that {@code get} loads and {@code set} stores, as the Java method's
 * type says.
 */
final class MatrixViews {
    private static final List<String> EXTENTS = List.of("rows", "cols", "depth");
    private static final List<String> EXTENT_GETTERS = List.of("getNumRows", "getNumColumns", "getNumDepth");

    private MatrixViews() {
    }

    /** The number of dimensions of a value of type {@code t}: its view's {@code dimensions}, else 1. */
    static int dimensions(TypeMirror t) {
        if (t == null || t.getKind() != TypeKind.DECLARED) {
            return 1;
        }
        TypeElement cls = (TypeElement) ((DeclaredType) t).asElement();
        for (var a : cls.getAnnotationMirrors()) {
            if (a.getAnnotationType().toString().equals(JavaTypes.KERNEL_VIEW)) {
                for (var v : a.getElementValues().entrySet()) {
                    if (v.getKey().getSimpleName().contentEquals("dimensions")) {
                        return (Integer) v.getValue().getValue();
                    }
                }
            }
        }
        return 1;
    }

    /** The C names of the extents of array {@code cName} with {@code dimensions} dimensions; none for a flat array. */
    static List<String> extentNames(String cName, int dimensions) {
        return dimensions < 2 ? List.of() : EXTENTS.subList(0, dimensions).stream().map(e -> cName + "_" + e).toList();
    }

    /** The C of {@code call}, a call of method {@code m} on a matrix view, or null when it is not one. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel)) {
            return null;
        }
        int dimensions = dimensions(s.typeOf(sel.getExpression()));
        if (dimensions < 2) {
            return null;
        }
        if (!(sel.getExpression() instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER) {
            throw new Rejected(call, "matrix methods must be called on a parameter of the kernel, like m.get(i, j)");
        }
        String array = CNames.of(id.getName().toString());
        List<String> extents = extentNames(array, dimensions);
        String name = m.getSimpleName().toString();
        List<? extends ExpressionTree> args = call.getArguments();
        int getter = EXTENT_GETTERS.indexOf(name);
        if (getter >= 0 && getter < dimensions && args.isEmpty()) {
            return extents.get(getter);
        }
        if (name.equals("size") && args.isEmpty()) {
            return "((int) " + array + "_len)";
        }
        if (name.equals("get") && args.size() == dimensions) {
            Vectors.Shape point = Vectors.vector(m.getReturnType());
            String index = index(s, e, args, extents);
            return point == null ? array + "[" + index + "]" : point.function("load") + "(" + array + ", " + index + ")";
        }
        if (name.equals("set") && args.size() == dimensions + 1) {
            Vectors.Shape point = Vectors.vector(m.getParameters().get(dimensions).asType());
            String index = index(s, e, args, extents);
            String value = unparen(e.expr(args.get(dimensions)));
            return point == null ? "(" + array + "[" + index + "] = " + value + ")"
                    : point.function("store") + "(" + array + ", " + index + ", " + value + ")";
        }
        // a 2D matrix's element counted row by row (Matrix4x4Float's get(index) and set(index, v))
        if (dimensions == 2 && name.equals("get") && args.size() == 1 && m.getReturnType().getKind().isPrimitive()) {
            return array + "[" + flat(s, e, args.get(0)) + "]";
        }
        if (dimensions == 2 && name.equals("set") && args.size() == 2 && m.getParameters().get(1).asType().getKind().isPrimitive()) {
            return "(" + array + "[" + flat(s, e, args.get(0)) + "] = " + unparen(e.expr(args.get(1))) + ")";
        }
        String line = dimensions == 2 ? line(s, e, m, array, extents, name, args) : null;
        if (line != null) {
            return line;
        }
        throw new Rejected(call, "only get, set, " + String.join(", ", EXTENT_GETTERS.subList(0, dimensions)) + ", size and fill (as a statement) "
                + "can be called on a " + dimensions + "-dimensional matrix in a kernel; " + name + " cannot" + (dimensions == 2 ? " (row, column and diag "
                + "can too where they give a vector, as Matrix4x4Float's do)" : ""));
    }

    /**
     * {@code m.fill(v)} as a statement on a matrix parameter (not an image or volume: their fill is a host method): every
     * element of its array, each lane of a point included, as the Java method fills its storage; the value is computed
     * once. Null for any other statement. In a kernel with
     * {@code @Parallel} loops every work-item would write every element, a race that no index can avoid, so it is refused
     * there; a kernel of one work-item, a KernelContext kernel (which orders its work-items itself) and helpers may fill.
     */
    static String fill(MethodScope s, Expressions e, ExpressionStatementTree st) {
        if (!(LoopDependence.unparen(st.getExpression()) instanceof MethodInvocationTree call)
                || !(call.getMethodSelect() instanceof MemberSelectTree sel) || !sel.getIdentifier().contentEquals("fill")
                || call.getArguments().size() != 1 || dimensions(s.typeOf(sel.getExpression())) < 2 || ImageViews.isGrid(s.typeOf(sel.getExpression()))
                || !(s.element(call) instanceof ExecutableElement m)) {
            return null;
        }
        if (!(sel.getExpression() instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER) {
            throw new Rejected(call, "matrix methods must be called on a parameter of the kernel, like m.fill(v)");
        }
        if (s.nest.dims() > 0) {
            throw new Rejected(call, "a matrix's fill in a kernel with @Parallel loops is a data race: every work-item would write every "
                    + "element (in the loop or around it); fill it on the host or in a task of its own, or set the elements each iteration owns");
        }
        String array = CNames.of(id.getName().toString());
        String t = s.d.type(JavaTypes.name(m.getParameters().getFirst().asType())), index = s.d.type("long");
        return "{ const " + t + " longnet_fill_v = (" + t + ") (" + unparen(e.expr(call.getArguments().getFirst())) + "); for (" + index
                + " longnet_fill_k = 0; longnet_fill_k < " + array + "_len; longnet_fill_k++) { " + array + "[longnet_fill_k] = longnet_fill_v; } }";
    }

    /**
     * A 2D matrix's row {@code row(i)}, column {@code column(j)} or diagonal {@code diag()} as the vector its Java method
     * returns (Matrix4x4Float's Float4): that vector's lanes read from the start of the line, a column's {@code cols}
     * elements apart, the diagonal's {@code cols + 1}. Null for any other call.
     */
    private static String line(MethodScope s, Expressions e, ExecutableElement m, String array, List<String> extents, String name,
                               List<? extends ExpressionTree> args) {
        Vectors.Shape vector = Vectors.vector(m.getReturnType());
        if (vector == null) {
            return null;
        }
        String cols = "(" + s.d.type("long") + ") " + extents.get(1);
        String[] firstAndStride = switch (name + "/" + args.size()) {
            case "row/1" -> new String[] {"(" + flat(s, e, args.get(0)) + ") * " + cols, "1"};
            case "column/1" -> new String[] {flat(s, e, args.get(0)), cols};
            case "diag/0" -> new String[] {"0", cols + " + 1"};
            default -> null;
        };
        return firstAndStride == null ? null
                : vector.function("gather") + "(" + array + ", " + firstAndStride[0] + ", " + firstAndStride[1] + ")";
    }

    /** {@code index} as a 64-bit element index. */
    private static String flat(MethodScope s, Expressions e, ExpressionTree index) {
        return "(" + s.d.type("long") + ") (" + e.expr(index) + ")";
    }

    /** The row-major element index of {@code args}' first indices, in 64 bits: ((i * cols) + j) * depth + k. */
    private static String index(MethodScope s, Expressions e, List<? extends ExpressionTree> args, List<String> extents) {
        String index = "(" + s.d.type("long") + ") (" + e.expr(args.get(0)) + ")";
        for (int d = 1; d < extents.size(); d++) {
            index = "(" + index + " * " + extents.get(d) + " + (" + e.expr(args.get(d)) + "))";
        }
        return index;
    }
}

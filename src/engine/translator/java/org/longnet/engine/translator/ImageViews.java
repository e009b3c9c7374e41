package org.longnet.engine.translator;

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
 * TornadoVM's images ({@code ImageFloat}, {@code ImageFloat4}, {@code ImageByte3}, ...) and volumes
 * ({@code VolumeShort2}) in kernels: views of 2 or 3 dimensions ({@link MatrixViews}) whose extents arrive outermost
 * first ({@code m_rows} = Y, {@code m_cols} = X for an image; {@code m_rows} = Z, {@code m_cols} = Y, {@code m_depth} = X
 * for a volume), and whose points are indexed x first: {@code get(x, y)} reads point {@code x + y * X}, {@code get(x, y, z)}
 * point {@code x + (y + z * Y) * X}; an image's {@code get(i)} reads point {@code i}, counted row by row. A point is a
 * scalar, or a vector of {@code longnet_vectors.h} that {@code get} loads and {@code set} stores; its type is what the
 * class's {@code get} returns.
 */
final class ImageViews {
    private static final List<String> PACKAGES = List.of("uk.ac.manchester.tornado.api.types.images.", "uk.ac.manchester.tornado.api.types.volumes.");
    /** The size getters, x first. */
    private static final List<String> SIZES = List.of("X", "Y", "Z");

    private ImageViews() {
    }

    /** Whether {@code t} is a TornadoVM image or volume. */
    static boolean isGrid(TypeMirror t) {
        if (t == null || t.getKind() != TypeKind.DECLARED) {
            return false;
        }
        String name = ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
        return PACKAGES.stream().anyMatch(name::startsWith);
    }

    /** The C of {@code call}, a call of method {@code m} on an image or volume, or null when it is not one. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !isGrid(s.typeOf(sel.getExpression()))) {
            return null;
        }
        int dimensions = MatrixViews.dimensions(s.typeOf(sel.getExpression()));
        if (!(sel.getExpression() instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER) {
            throw new Rejected(call, "image and volume methods must be called on a parameter of the kernel, like image.get(x, y)");
        }
        String array = CNames.of(id.getName().toString());
        // the extents arrive outermost first: size getter d (x = 0) reads extent dimensions - 1 - d
        List<String> extents = MatrixViews.extentNames(array, dimensions).reversed();
        String name = m.getSimpleName().toString();
        List<? extends ExpressionTree> args = call.getArguments();
        int size = SIZES.indexOf(name);
        if (size >= 0 && size < dimensions && args.isEmpty()) {
            return extents.get(size);
        }
        if (name.equals("size") && args.isEmpty()) {
            return "((int) " + array + "_len)";
        }
        // an image's get(i) and set(i, v) name point i counted row by row, which is its index
        int indices = dimensions == 2 && m.getParameters().size() - (name.equals("set") ? 1 : 0) == 1 ? 1 : dimensions;
        boolean get = name.equals("get") && args.size() == indices;
        boolean set = name.equals("set") && args.size() == indices + 1;
        if (get || set) {
            TypeMirror point = get ? m.getReturnType() : m.getParameters().get(indices).asType();
            Vectors.Shape vector = Vectors.vector(point);
            String index = indices == 1 ? "(" + s.d.type("long") + ") (" + e.expr(args.get(0)) + ")" : index(s, e, args, extents);
            if (vector == null) {
                return get ? array + "[" + index + "]" : "(" + array + "[" + index + "] = " + e.expr(args.get(indices)) + ")";
            }
            return get ? vector.function("load") + "(" + array + ", " + index + ")"
                    : vector.function("store") + "(" + array + ", " + index + ", " + unparen(e.expr(args.get(indices))) + ")";
        }
        throw new Rejected(call, "only get, set, " + String.join(", ", SIZES.subList(0, dimensions).stream().map(g -> g + "()").toList())
                + " and size can be called on a TornadoVM " + (dimensions == 2 ? "image" : "volume") + " in a kernel; " + name + " cannot");
    }

    /** The index of point {@code (x, y[, z])}, in 64 bits: x + (y + z * Y) * X, the sizes being {@code extents} x first. */
    private static String index(MethodScope s, Expressions e, List<? extends ExpressionTree> args, List<String> extents) {
        int last = extents.size() - 1;
        String index = "(" + s.d.type("long") + ") (" + e.expr(args.get(last)) + ")";
        for (int d = last - 1; d >= 0; d--) {
            index = "(" + index + " * " + extents.get(d) + " + (" + e.expr(args.get(d)) + "))";
        }
        return index;
    }
}

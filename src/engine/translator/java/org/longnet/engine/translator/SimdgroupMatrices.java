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
import java.util.Map;
import java.util.StringJoiner;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's SIMD-group matrices in kernels: {@code Matrix8x8Float} tiles and the {@code KernelContext} calls that make and
 * use them ({@code simdgroupMatrixZero()}, {@code simdgroupMatrixLoad(array, base, stride)},
 * {@code simdgroupMatrixMultiplyAccumulate(a, b, c)}, {@code simdgroupMatrixStore(tile, array, base, stride)},
 * {@code matrixMultiply8x8(...)}). A tile is a C struct of 64 floats that the work-item holds for itself, and each call
 * the function of {@code longnet_simdmat.h} that computes the whole tile, as the Java method does in the work-item that
 * calls it. That is exact because a kernel cannot change a tile ({@code set} and {@code values} are refused; every call
 * makes a new one): two Java names for one tile then read what two C copies hold.
 */
final class SimdgroupMatrices {
    static final String TYPE = "uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float";
    static final String C_TYPE = "longnet_mat8x8f";
    /** The context's calls by name, with the C function of each and what each argument is (see {@link #argument}). */
    private static final Map<String, Form> FORMS = Map.of(
            "simdgroupMatrixZero", new Form("longnet_mat8x8f_zero", ""),
            "simdgroupMatrixLoad", new Form("longnet_mat8x8f_load", "Lii"),
            "simdgroupMatrixMultiplyAccumulate", new Form("longnet_mat8x8f_multiply_accumulate", "mmm"),
            "simdgroupMatrixStore", new Form("longnet_mat8x8f_store", "mAii"),
            "matrixMultiply8x8", new Form("longnet_mat8x8f_multiply", "AiiAiiAiii"));

    /**
     * A call's C function and its arguments: {@code A} a FloatArray parameter by name, {@code L} that or a Java float array
     * (whose address space names the function's form), {@code i} an int position, {@code m} a tile.
     */
    private record Form(String function, String arguments) {
    }

    private SimdgroupMatrices() {
    }

    /** Whether {@code t} is TornadoVM's {@code Matrix8x8Float}. */
    static boolean is(TypeMirror t) {
        return t != null && t.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals(TYPE);
    }

    /** The call as C where it is a SIMD-group matrix call on a KernelContext, or a tile's method; else null. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        String name = m.getSimpleName().toString();
        if (((TypeElement) m.getEnclosingElement()).getQualifiedName().contentEquals(TYPE)) {
            return tileMethod(s, e, call, name);
        }
        Form form = FORMS.get(name);
        if (form == null || !JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT)) {
            return null;
        }
        List<? extends ExpressionTree> args = call.getArguments();
        String function = form.function();
        StringJoiner c = new StringJoiner(", ");
        for (int i = 0; i < args.size(); i++) {
            char kind = form.arguments().charAt(i);
            if (kind == 'L' && !s.javaType(args.get(i)).equals(JavaTypes.API + "FloatArray")) {
                function += javaArraySuffix(s, name, args.get(i));
                kind = 'J';
            }
            c.add(argument(s, e, name, kind, args.get(i)));
        }
        return function + "(" + c + ")";
    }

    /** {@code tile.get(row, col)}; the tile's other methods are refused. */
    private static String tileMethod(MethodScope s, Expressions e, MethodInvocationTree call, String name) {
        if (!name.equals("get") || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
            throw new Rejected(call, "a kernel may only read a Matrix8x8Float (get(row, col)), not call its " + name + ": its tiles are "
                    + "values that each work-item holds, made by the context's simdgroupMatrix calls");
        }
        List<? extends ExpressionTree> args = call.getArguments();
        return e.expr(select.getExpression()) + ".s[" + e.index(args.get(0)) + " * 8 + " + e.index(args.get(1)) + "]";
    }

    private static String argument(MethodScope s, Expressions e, String call, char kind, ExpressionTree arg) {
        return switch (kind) {
            case 'A', 'L' -> {
                if (!(arg instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER
                        || !s.javaType(arg).equals(JavaTypes.API + "FloatArray")) {
                    throw new Rejected(arg, call + "'s array must be a FloatArray parameter of this method, by name; " + arg + " is not");
                }
                yield CNames.of(id.getName().toString());
            }
            case 'J' -> CNames.of(((IdentifierTree) arg).getName().toString());
            case 'm' -> unparen(e.expr(arg));
            default -> unparen(e.index(arg));
        };
    }

    /** The suffix of the load from a Java float array: by the memory it lives in. */
    private static String javaArraySuffix(MethodScope s, String call, ExpressionTree arg) {
        String name = arg instanceof IdentifierTree id ? id.getName().toString() : "";
        if (s.localArrays.contains(name) || s.sizedLocalLengths.containsKey(name)) {
            return "_local";
        }
        if (s.globalArrays.contains(name)) {
            return "";
        }
        if (s.arraySizes.containsKey(name)) {
            return "_private";
        }
        throw new Rejected(arg, call + "'s float[] must be, by name, a local array (context.allocateFloatLocalArray), a private array of "
                + "this method (new float[N]) or a float[] parameter of the kernel; " + arg + " is not");
    }
}

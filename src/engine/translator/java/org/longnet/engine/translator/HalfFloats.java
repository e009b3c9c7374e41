package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.List;
import java.util.Map;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's {@code HalfFloat} in kernels: an immutable fp16 value, which a kernel holds as a C {@code float} whose value
 * fp16 can represent ({@link JavaTypes#name} reads the type as {@code float}, so locals, {@code HalfFloat[]} local arrays,
 * helpers' parameters and results need nothing more). fp16 arrays keep 16-bit words, and the arithmetic is float's with
 * the result rounded to fp16 (to nearest even), which is what the Java class computes: {@code new HalfFloat(x)} rounds,
 * {@code HalfFloat.add(a, b)} is {@code round(a + b)}, {@code getFloat32()} is the value itself and
 * {@code getHalfFloatValue()} its 16 bits. No device needs fp16 arithmetic for this (OpenCL's {@code vstore_half} and
 * {@code vload_half} convert without the cl_khr_fp16 extension; CUDA converts with one instruction each way).
 * <p>
 * A Java HalfFloat is an object, so {@code ==} compares references, which a kernel's values do not have: it is rejected.
 */
final class HalfFloats {
    /** TornadoVM's fp16 value class. */
    static final String HALF_FLOAT = "uk.ac.manchester.tornado.api.types.HalfFloat";
    /** TornadoVM's fp16 array, whose {@code getHalf2} and {@code setHalf2} (two neighbours as a Half2) are handled here. */
    private static final String HALF_FLOAT_ARRAY = "uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray";
    /** TornadoVM's byte array, whose {@code getHalfFloat(byteIndex)} (an fp16 value in two of its bytes) is handled here. */
    private static final String BYTE_ARRAY = "uk.ac.manchester.tornado.api.types.arrays.ByteArray";
    /** TornadoVM's math class, whose {@code min} and {@code max} of two HalfFloats are handled here. */
    private static final String TORNADO_MATH = "uk.ac.manchester.tornado.api.math.TornadoMath";
    /** HalfFloat's static operations, by name, with the C operator whose float result is rounded to fp16. */
    private static final Map<String, String> OPERATIONS = Map.of("add", "+", "sub", "-", "mult", "*", "div", "/");

    private HalfFloats() {
    }

    /** Whether {@code t} is TornadoVM's HalfFloat (as Java declares it, before {@link JavaTypes#name} reads it as float). */
    static boolean isHalfFloat(TypeMirror t) {
        return t != null && t.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().contentEquals(HALF_FLOAT);
    }

    /** {@code new HalfFloat(x)} as C: the float rounded to fp16, or the value of 16 bits ({@code new HalfFloat(short)}). */
    static String construct(MethodScope s, Expressions e, NewClassTree n) {
        if (!(s.element(n) instanceof ExecutableElement constructor) || constructor.getParameters().size() != 1) {
            throw new Rejected(n, "a HalfFloat in a kernel is made with new HalfFloat(float) or new HalfFloat(short)");
        }
        ExpressionTree arg = n.getArguments().get(0);
        boolean fromBits = JavaTypes.name(constructor.getParameters().get(0).asType()).equals("short");
        return fromBits ? "longnet_half_from_bits(" + unparen(e.expr(arg)) + ")" : "longnet_half_round(" + asFloat(s, e, arg) + ")";
    }

    /** A call of a HalfFloat method, or of TornadoMath's min or max of two HalfFloats, as C; null for any other call. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        Element owner = m.getEnclosingElement();
        String ownerName = owner instanceof TypeElement t ? t.getQualifiedName().toString() : "";
        String name = m.getSimpleName().toString();
        List<? extends ExpressionTree> args = call.getArguments();
        if (ownerName.equals(TORNADO_MATH) && (name.equals("min") || name.equals("max")) && args.size() == 2
                && isHalfFloat(m.getReturnType())) {
            return "longnet_half_" + name + "(" + unparen(e.expr(args.get(0))) + ", " + unparen(e.expr(args.get(1))) + ")";
        }
        if (ownerName.equals(HALF_FLOAT_ARRAY) && (name.equals("getHalf2") || name.equals("setHalf2"))) {
            return pair(s, e, call, name, args);
        }
        if (ownerName.equals(BYTE_ARRAY) && name.equals("getHalfFloat") && args.size() == 1) {
            return fromBytes(s, e, call, args.get(0));
        }
        if (!ownerName.equals(HALF_FLOAT)) {
            return null;
        }
        if (m.getModifiers().contains(Modifier.STATIC) && OPERATIONS.containsKey(name) && args.size() == 2) {
            return "longnet_half_round(" + e.expr(args.get(0)) + " " + OPERATIONS.get(name) + " " + e.expr(args.get(1)) + ")";
        }
        if (!m.getModifiers().contains(Modifier.STATIC) && args.isEmpty() && call.getMethodSelect() instanceof MemberSelectTree select) {
            String value = e.expr(select.getExpression());
            switch (name) {
                case "getFloat32":
                    return value;
                case "getHalfFloatValue":
                    return "((short) longnet_half_bits(" + unparen(value) + "))";
                default:
                    break;
            }
        }
        throw new Rejected(call, "HalfFloat." + name + " cannot be called in a kernel; allowed: new HalfFloat(float), new HalfFloat(short), "
                + "HalfFloat.add, sub, mult, div, getFloat32(), getHalfFloatValue(), and TornadoMath.min and max of two HalfFloats");
    }

    /** {@code a.getHalf2(i)} and {@code a.setHalf2(i, v)} on an fp16 array parameter: elements i and i + 1 as a Half2 value. */
    private static String pair(MethodScope s, Expressions e, MethodInvocationTree call, String name, List<? extends ExpressionTree> args) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !(sel.getExpression() instanceof com.sun.source.tree.IdentifierTree id)
                || s.element(id).getKind() != javax.lang.model.element.ElementKind.PARAMETER) {
            throw new Rejected(call, "HalfFloatArray." + name + " must be called on a parameter of the kernel, like a." + name + "(i)");
        }
        String array = CNames.of(id.getName().toString()), index = unparen(e.index(args.get(0)));
        return name.equals("getHalf2") ? "longnet_vec_load_at_half2(" + array + ", " + index + ")"
                : "longnet_vec_store_at_half2(" + array + ", " + index + ", " + unparen(e.expr(args.get(1))) + ")";
    }

    /**
     * {@code q.getHalfFloat(byteIndex)} on a byte array parameter: the fp16 value whose 16 bits are bytes byteIndex and
     * byteIndex + 1, low byte first, as the Java method reads them in the host's order (little-endian on every host the engine
     * runs on). Bytes are assembled one by one, so an index that is not even (which Java refuses) reads no misaligned short.
     * The index is read twice, so it must have no side effects ({@code q.getHalfFloat(k++)}).
     */
    private static String fromBytes(MethodScope s, Expressions e, MethodInvocationTree call, ExpressionTree index) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !(sel.getExpression() instanceof com.sun.source.tree.IdentifierTree id)
                || s.element(id).getKind() != javax.lang.model.element.ElementKind.PARAMETER) {
            throw new Rejected(call, "ByteArray.getHalfFloat must be called on a parameter of the kernel, like q.getHalfFloat(i)");
        }
        if (LoopDependence.hasSideEffects(index)) {
            throw new Rejected(index, "the byte index of getHalfFloat reads two bytes from it, so it must have no side effects (no ++, -- or "
                    + "assignment): compute it before the call");
        }
        String array = CNames.of(id.getName().toString()), at = unparen(e.index(index));
        return "longnet_half_from_bits((short) ((" + array + "[" + at + "] & 0xff) | (" + array + "[(" + at + ") + 1] << 8)))";
    }

    /** Rejects {@code ==} and {@code !=} on HalfFloats: Java compares the objects, a kernel would compare values. */
    static void checkCompared(MethodScope s, ExpressionTree left, ExpressionTree right) {
        if (isHalfFloat(s.typeOf(left)) || isHalfFloat(s.typeOf(right))) {
            throw new Rejected(left, "== and != on HalfFloats compare objects in Java, which a kernel's HalfFloats are not: compare "
                    + "getFloat32() values");
        }
    }

    private static String asFloat(MethodScope s, Expressions e, ExpressionTree arg) {
        String value = unparen(e.expr(arg));
        return s.javaType(arg).equals("float") ? value : "(float) (" + value + ")";
    }
}

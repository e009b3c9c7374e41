package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ExecutableElement;
import java.util.List;
import java.util.Map;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's swizzled accessors of a work-group local tile ({@code context.swizzleStoreFp16Stride32(tile, row, col,
 * stride, v)}, {@code swizzleLoadInt8(tile, row, col, stride)}, ...): element {@code (row, col)} of a row-major tile of
 * {@code stride} columns lives at its byte offset with three bits flipped by the line of the tile it falls in (bits 4-6 by
 * the 128-byte line for the stride-32 fp16 and the int8 forms, bits 3-5 by the 64-byte line for the stride-16 fp16 form),
 * so that work-items reading a column meet different banks. The flip is its own inverse: a store and a load with the same
 * arguments meet. In C, {@code longnet_swizzle} of the runtime computes the byte; an fp16 tile here holds floats, so its
 * element is that byte over 2, as in the Java methods (the layout in bytes is TornadoVM's for 2-byte elements).
 */
final class Swizzles {
    /** A form: whether it stores, its element's bytes in TornadoVM's layout, and the shifts of the line and of the flipped bits. */
    private record Form(boolean store, int elementBytes, int lineShift, int flipShift) {
    }

    private static final Map<String, Form> FORMS = Map.of(
            "swizzleStoreFp16Stride32", new Form(true, 2, 7, 4), "swizzleLoadFp16Stride32", new Form(false, 2, 7, 4),
            "swizzleStoreFp16Stride16", new Form(true, 2, 6, 3), "swizzleLoadFp16Stride16", new Form(false, 2, 6, 3),
            "swizzleStoreInt8", new Form(true, 1, 7, 4), "swizzleLoadInt8", new Form(false, 1, 7, 4));

    private Swizzles() {
    }

    /** The call as C where it is one of TornadoVM's swizzled accessors on a KernelContext; else null. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        Form form = FORMS.get(m.getSimpleName().toString());
        if (form == null || !JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT)) {
            return null;
        }
        List<? extends ExpressionTree> args = call.getArguments();
        if (!(args.get(0) instanceof IdentifierTree tile) || !s.localArrays.contains(tile.getName().toString())) {
            throw new Rejected(args.get(0), m.getSimpleName() + "'s tile must be a work-group local array (context.allocate...LocalArray), "
                    + "by name; " + args.get(0) + " is not");
        }
        String offset = "(" + e.index(args.get(1)) + " * " + e.index(args.get(3)) + " + " + e.index(args.get(2)) + ")"
                + (form.elementBytes() == 1 ? "" : " * " + form.elementBytes());
        String element = CNames.of(tile.getName().toString()) + "[longnet_swizzle(" + offset + ", " + form.lineShift() + ", "
                + form.flipShift() + ")" + (form.elementBytes() == 1 ? "" : " / " + form.elementBytes()) + "]";
        return form.store() ? "(" + element + " = " + unparen(e.expr(args.get(4))) + ")" : element;
    }
}

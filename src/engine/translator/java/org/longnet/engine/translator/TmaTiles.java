package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;

/**
 * Where local arrays start in kernels whose boxes the tensor memory accelerator copies ({@code Tma}): it reads and writes
 * local memory at 128-byte aligned addresses only, and a swizzled box's permutation is taken from the address's bits 7
 * to 9, so a tile that holds one starts on 1,024 bytes. In a file that calls {@code Tma} every local array of a kernel
 * starts on 1,024 bytes (the tile a helper copies into is a kernel's array too). Elsewhere they start on 16.
 */
final class TmaTiles {
    /** The alignment, in bytes, of the local arrays of a kernel in a file that copies tiles with {@code Tma}. */
    static final int ALIGNMENT = 1024;
    static final int DEFAULT_ALIGNMENT = 16;
    private static final String TMA = JavaTypes.API + "Tma";

    private TmaTiles() {
    }

    /** The alignment of local arrays in the kernels of {@code unit}. */
    static int localAlignment(Trees trees, CompilationUnitTree unit) {
        boolean[] found = {false};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                Element m = trees.getElement(getCurrentPath());
                if (m != null && m.getEnclosingElement().toString().equals(TMA)) {
                    found[0] = true;
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(unit, null);
        return found[0] ? ALIGNMENT : DEFAULT_ALIGNMENT;
    }
}

package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import java.util.Set;

/**
 * Where local arrays start in kernels whose boxes the tensor memory accelerator copies ({@code Tma}) or whose tensor cores
 * read swizzled tiles ({@code WarpgroupMma.issueSwizzled}, {@code issueRegistersSwizzled}, {@code issueSwizzledFromRegisters},
 * {@code issueTransposedSwizzled}): TMA reads and writes local memory at 128-byte aligned addresses only, and both take a
 * swizzled tile's permutation from the address's bits 7 to 9, so such a tile starts on 1,024 bytes. In a file that calls
 * either, every local array of a kernel starts on 1,024 bytes (the tile a helper uses is a kernel's array too). Elsewhere
 * they start on 16.
 */
final class TmaTiles {
    /** The alignment, in bytes, of the local arrays of a kernel in a file that copies tiles with {@code Tma} or reads swizzled ones. */
    static final int ALIGNMENT = 1024;
    static final int DEFAULT_ALIGNMENT = 16;
    private static final String TMA = JavaTypes.API + "Tma", WARPGROUP_MMA = JavaTypes.API + "WarpgroupMma";
    /** The WarpgroupMma products that read swizzled tiles through the tensor cores. */
    private static final Set<String> SWIZZLED_PRODUCTS = Set.of("issueSwizzled", "issueRegistersSwizzled", "issueSwizzledFromRegisters",
            "issueTransposedSwizzled");

    private TmaTiles() {
    }

    /** The alignment of local arrays in the kernels of {@code unit}. */
    static int localAlignment(Trees trees, CompilationUnitTree unit) {
        boolean[] found = {false};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                Element m = trees.getElement(getCurrentPath());
                String owner = m == null ? "" : m.getEnclosingElement().toString();
                if (owner.equals(TMA) || owner.equals(WARPGROUP_MMA) && SWIZZLED_PRODUCTS.contains(m.getSimpleName().toString())) {
                    found[0] = true;
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(unit, null);
        return found[0] ? ALIGNMENT : DEFAULT_ALIGNMENT;
    }
}

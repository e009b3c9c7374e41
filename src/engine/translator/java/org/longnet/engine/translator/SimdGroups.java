package org.longnet.engine.translator;

import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ExecutableElement;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's SIMD-group operations on a KernelContext ({@code context.simdSum(v)}, {@code simdShuffleDown(v, delta)},
 * {@code simdBroadcastFirst(v)}). A SIMD group is 32 work-items of consecutive linear local ids, a CUDA warp; the last
 * one of a work-group whose size is no multiple of 32 has fewer lanes. On CUDA each becomes warp shuffles
 * ({@code longnet_simd.cuh}); on OpenCL the lanes meet in a hidden local array that the kernel declares first
 * ({@code longnet_simd.cl}), between two barriers, so the call counts as a barrier (the jvm device then runs the
 * group's work-items together, as the Java methods need). The scratch lives in the kernel itself: a helper function
 * cannot call them.
 */
final class SimdGroups {
    /** The hidden local array of the OpenCL lowering (the rows of {@link Intrinsics} name it), declared first in a kernel that uses it. */
    private static final String SCRATCH = "longnet_simd_scratch";

    private SimdGroups() {
    }

    /** The call as C where it is one of the SIMD-group operations on a KernelContext (its row of {@link Intrinsics}); else null. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        String name = m.getSimpleName().toString();
        if (!name.startsWith("simd") || !JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT) || Intrinsics.find(m) == null) {
            return null;
        }
        if (!s.isKernel) {
            throw new Rejected(call, name + " must be called in the kernel method itself, not in helper " + s.method.getName()
                    + ": on OpenCL its lanes meet in local memory that the kernel declares");
        }
        s.usesBarrier = true;
        s.usesSimdScratch = true;
        String key = Intrinsics.find(m).key();
        String[] arguments = call.getArguments().stream().map(a -> unparen(e.expr(a))).toArray(String[]::new);
        return Intrinsics.spell(s.d, key, arguments);
    }

    /** {@code body} (a kernel's braced block) with the hidden local array declared first where the dialect needs one. */
    static String withScratch(Dialect d, String body) {
        if (!d.name().equals("cl")) {
            return body;
        }
        return "{\n    __local float " + SCRATCH + "[LONGNET_SIMD_SCRATCH];" + body.substring(body.indexOf('{') + 1);
    }
}

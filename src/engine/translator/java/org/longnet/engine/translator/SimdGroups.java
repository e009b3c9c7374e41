package org.longnet.engine.translator;

import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ExecutableElement;
import java.util.Map;

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
    /** The hidden local array of the OpenCL lowering, declared at the top of a kernel that uses one of them. */
    static final String SCRATCH = "longnet_simd_scratch";

    private static final Map<String, String> FUNCTIONS = Map.of(
            "simdSum", "longnet_simd_sum", "simdShuffleDown", "longnet_simd_shuffle_down", "simdBroadcastFirst", "longnet_simd_broadcast_first");

    private SimdGroups() {
    }

    /** The call as C where it is one of the SIMD-group operations on a KernelContext; else null. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        String function = FUNCTIONS.get(m.getSimpleName().toString());
        if (function == null || !JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT)) {
            return null;
        }
        if (!s.isKernel) {
            throw new Rejected(call, m.getSimpleName() + " must be called in the kernel method itself, not in helper " + s.method.getName()
                    + ": on OpenCL its lanes meet in local memory that the kernel declares");
        }
        s.usesBarrier = true;
        s.usesSimdScratch = true;
        StringBuilder out = new StringBuilder(function).append('(');
        if (s.d.name().equals("cl")) {
            out.append(SCRATCH).append(", ");
        }
        out.append(unparen(e.expr(call.getArguments().get(0))));
        if (call.getArguments().size() > 1) {
            out.append(", ").append(unparen(e.expr(call.getArguments().get(1))));
        }
        return out.append(')').toString();
    }

    /** {@code body} (a kernel's braced block) with the hidden local array declared first where the dialect needs one. */
    static String withScratch(Dialect d, String body) {
        if (!d.name().equals("cl")) {
            return body;
        }
        return "{\n    __local float " + SCRATCH + "[LONGNET_SIMD_SCRATCH];" + body.substring(body.indexOf('{') + 1);
    }
}

package org.longnet.engine.graph;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Parallel;

/**
 * Kernels as TornadoVM's tests write them: task methods without {@code @Kernel}, three of them named {@code add} (two
 * array types, and a third parameter list one longer), two {@code @KernelContext} kernels named {@code shift}, and
 * {@code negate}, whose name no other kernel shares.
 */
public final class OverloadedKernels {
    private OverloadedKernels() {
    }

    public static void add(IntArray a, IntArray b, IntArray c) {
        for (@Parallel int i = 0; i < c.getSize(); i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    public static void add(FloatArray a, FloatArray b, FloatArray c) {
        for (@Parallel int i = 0; i < c.getSize(); i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    public static void add(FloatArray a, FloatArray b, FloatArray c, float alpha) {
        for (@Parallel int i = 0; i < c.getSize(); i++) {
            c.set(i, a.get(i) + alpha * b.get(i));
        }
    }

    public static void shift(KernelContext ctx, IntArray x, IntArray out, int n) {
        int i = ctx.globalIdx;
        if (i < n) {
            out.set(i, x.get(i) + 7);
        }
    }

    public static void shift(KernelContext ctx, FloatArray x, FloatArray out, int n) {
        int i = ctx.globalIdx;
        if (i < n) {
            out.set(i, x.get(i) - 0.5f);
        }
    }

    public static void negate(FloatArray x, FloatArray out) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, -x.get(i));
        }
    }
}

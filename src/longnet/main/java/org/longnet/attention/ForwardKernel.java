package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.Tasks.Task16;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which matrix-unit forward kernel {@link DilatedAttentionCore} runs, a lab switch: {@code -Dlongnet.attention.forward=pipelined}
 * picks {@link MatrixUnitForward#forwardPairMmaPipelined} (Q·K^T of a key tile issued with P·V of the one before, so the
 * softmax runs while the tensor cores work), anything else named must be {@code standard}, the default
 * ({@link MatrixUnitForward#forwardPairMma}). Both give the same results; which is faster is for the H200 to tell.
 */
enum ForwardKernel {
    STANDARD, PIPELINED;

    /** The system property that selects the kernel. */
    static final String PROPERTY = "longnet.attention.forward";

    /** The kernel the system property names; standard when it is not set. */
    static ForwardKernel selected() {
        String name = System.getProperty(PROPERTY, "standard");
        return Arrays.stream(values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("-D" + PROPERTY + "=" + name + " names no forward kernel: it must be standard or "
                        + "pipelined"));
    }

    /** The kernel, to hand to {@code TaskGraph.task}: both take the same arguments. */
    Task16<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, Integer, Integer, Integer, Integer, Integer,
            Float, Integer, Integer, Integer, Integer> kernel() {
        return this == PIPELINED ? MatrixUnitForward::forwardPairMmaPipelined : MatrixUnitForward::forwardPairMma;
    }
}

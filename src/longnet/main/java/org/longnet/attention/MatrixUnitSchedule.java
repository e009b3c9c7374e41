package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.Tasks.Task16;
import org.longnet.engine.graph.Tasks.Task18;
import org.longnet.engine.graph.Tasks.Task19;
import org.longnet.engine.graph.Tasks.Task20;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which matrix-unit kernels {@link DilatedAttentionCore} runs, two lab switches read the same way:
 * {@code -Dlongnet.attention.forward} for the forward and {@code -Dlongnet.attention.backward} for the backward, each
 * {@code standard} (the default: every product waited for where it is issued) or {@code pipelined} (products issued
 * asynchronously, {@link org.longnet.engine.api.WarpgroupMma}, so that a warpgroup's element-by-element work runs while
 * its tensor cores work: {@link MatrixUnitForward#forwardPairMmaPipelined}, and the {@code ...Pipelined} kernels of
 * {@link MatrixUnitBackward}). Anything else named is refused. Both schedules give the same results; which is faster is
 * for the H200 to tell.
 */
enum MatrixUnitSchedule {
    STANDARD, PIPELINED;

    /** The system property that selects the forward kernel. */
    static final String FORWARD = "longnet.attention.forward";
    /** The system property that selects the backward kernels. */
    static final String BACKWARD = "longnet.attention.backward";

    /** The schedule {@code property} ({@link #FORWARD} or {@link #BACKWARD}) names; standard when it is not set. */
    static MatrixUnitSchedule selected(String property) {
        String name = System.getProperty(property, "standard");
        String pass = property.substring(property.lastIndexOf('.') + 1);
        return Arrays.stream(values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("-D" + property + "=" + name + " names no " + pass + " kernel: it must be "
                        + "standard or pipelined"));
    }

    /** The forward kernel, to hand to {@code TaskGraph.task}: both take the same arguments. */
    Task16<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, Integer, Integer, Integer, Integer, Integer,
            Float, Integer, Integer, Integer, Integer> forward() {
        return this == PIPELINED ? MatrixUnitForward::forwardPairMmaPipelined : MatrixUnitForward::forwardPairMma;
    }

    /** The backward's dK/dV kernel with dQ added atomically. */
    Task20<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, FloatArray,
            FloatArray, Integer, Integer, Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardPair() {
        return this == PIPELINED ? MatrixUnitBackward::backwardPairMmaPipelined : MatrixUnitBackward::backwardPairMma;
    }

    /** The bit-reproducible backward's dQ kernel. */
    Task18<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, Integer, Integer,
            Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardQuery() {
        return this == PIPELINED ? MatrixUnitBackward::backwardQueryMmaPipelined : MatrixUnitBackward::backwardQueryMma;
    }

    /** The bit-reproducible backward's dK/dV kernel. */
    Task19<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, FloatArray,
            Integer, Integer, Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardKeyValue() {
        return this == PIPELINED ? MatrixUnitBackward::backwardKeyValueMmaPipelined : MatrixUnitBackward::backwardKeyValueMma;
    }
}

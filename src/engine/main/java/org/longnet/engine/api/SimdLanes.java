package org.longnet.engine.api;

/**
 * The jvm device's SIMD groups ({@link KernelContext#simdSum} and its kin): a SIMD group is {@link #WIDTH} work-items of
 * consecutive linear local ids (x fastest, as CUDA forms warps), and the last one of a work-group whose size is no
 * multiple of {@link #WIDTH} has fewer lanes, of which only those take part. The lanes meet in {@code scratch}, one float
 * per work-item of the group, shared by the group, between two barriers; the translated kernels compute the same values
 * in the same order on every device ({@code longnet_simd.cl}, {@code longnet_simd.cuh}).
 */
final class SimdLanes {
    /** Lanes of a SIMD group: a CUDA warp, and what TornadoVM's SIMD-group programs assume. */
    static final int WIDTH = 32;

    private final KernelContext item;
    private final float[] scratch;
    private final int id, base, lanes;

    SimdLanes(KernelContext item, float[] scratch) {
        this.item = item;
        this.scratch = scratch;
        this.id = item.localIdx + item.localGroupSizeX * (item.localIdy + item.localGroupSizeY * item.localIdz);
        this.base = id - id % WIDTH;
        this.lanes = Math.min(WIDTH, scratch.length - base);
    }

    /** Local memory for a group of {@code item}'s size. */
    static float[] scratchFor(KernelContext item) {
        return new float[item.localGroupSizeX * item.localGroupSizeY * item.localGroupSizeZ];
    }

    /** Lane 0's sum after the shuffle-down tree (lane j adds lane j + d for d = 16, 8, 4, 2, 1), given to every lane. */
    float sum(float value) {
        share(value);
        float[] t = new float[lanes];
        System.arraycopy(scratch, base, t, 0, lanes);
        for (int d = WIDTH / 2; d > 0; d >>= 1) {
            for (int j = 0; j < d && j + d < lanes; j++) {
                t[j] += t[j + d];
            }
        }
        item.localBarrier();
        return t[0];
    }

    /** The value of the lane {@code delta} above this one; this one's own where there is none ({@code delta} out of range). */
    float shuffleDown(float value, int delta) {
        share(value);
        int lane = id - base;
        float result = delta >= 0 && delta < lanes - lane ? scratch[id + delta] : value;
        item.localBarrier();
        return result;
    }

    /** Lane 0's value. */
    float broadcastFirst(float value) {
        share(value);
        float result = scratch[base];
        item.localBarrier();
        return result;
    }

    private void share(float value) {
        scratch[id] = value;
        item.localBarrier();
    }
}

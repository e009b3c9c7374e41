package org.longnet.tornado.helpers;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import static org.longnet.tornado.helpers.PlainScalars.square;

/**
 * Static helpers of a plain class (no {@code @DeviceFunctions}) in another package, as TornadoVM's slam.utils.GraphicsMath
 * is: kernels of other classes call them, and they call another plain class in turn. {@link #describe} is host code
 * that no kernel calls, and must not stop the others from being translated.
 */
public final class PlainGeometry {
    private PlainGeometry() {
    }

    public static float length(FloatArray points, int i) {
        return (float) Math.sqrt(square(points.get(3 * i)) + square(points.get(3 * i + 1)) + square(points.get(3 * i + 2)));
    }

    public static float clampedLength(FloatArray points, int i, float limit) {
        return Math.min(length(points, i), limit);
    }

    public static String describe(FloatArray points) {
        return "points of " + points.getSize() / 3 + ": " + new StringBuilder().append(points.get(0));
    }
}

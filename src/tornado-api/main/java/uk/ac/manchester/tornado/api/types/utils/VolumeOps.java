package uk.ac.manchester.tornado.api.types.utils;

import org.longnet.engine.api.DeviceFunctions;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Int3;
import uk.ac.manchester.tornado.api.types.volumes.VolumeShort2;

/**
 * TornadoVM's sampling of a {@link VolumeShort2} (a truncated signed distance field whose lane x holds the distance,
 * scaled to shorts): {@code interp}, its trilinear interpolation at a point, and {@code grad}, its gradient there, with
 * {@code vs} reading one voxel. A point is in world units; {@code dim} is the volume's extent in them, so voxel
 * {@code (x, y, z)} sits at {@code ((x, y, z) + 0.5) * dim / (X, Y, Z)}. A device-function class: kernels of any class
 * may call its methods, which therefore may not be overloaded.
 */
@DeviceFunctions
public final class VolumeOps {
    /** From a voxel's short lane to a distance. */
    private static final float TO_DISTANCE = 0.00003051944088f;

    private VolumeOps() {
    }

    /** Lane x of voxel {@code (x, y, z)}. */
    public static float vs(VolumeShort2 cube, int x, int y, int z) {
        return cube.get(x, y, z).getX();
    }

    /** {@link #vs} with the volume last. */
    public static float vs1(int x, int y, int z, VolumeShort2 v) {
        return vs(v, x, y, z);
    }

    /** The distance at {@code point}: the trilinear interpolation of the eight voxels around it, clamped to the volume. */
    public static float interp(VolumeShort2 volume, Float3 dim, Float3 point) {
        Float3 scaled = scaled(volume, dim, point);
        Int3 base = floorOf(scaled);
        Int3 lower = Int3.max(base, new Int3());
        Int3 upper = Int3.min(limits(volume), Int3.add(base, 1));
        return trilinear(volume, -1, Float3.fract(scaled), lower, upper, lower, upper) * TO_DISTANCE;
    }

    /**
     * The distance's gradient at {@code point}: along each axis the trilinear interpolation of central differences,
     * each taken between the voxels one before and one after a corner (clamped to the volume), in world units.
     */
    public static Float3 grad(VolumeShort2 volume, Float3 dim, Float3 point) {
        Float3 scaled = scaled(volume, dim, point);
        Float3 factor = Float3.fract(scaled);
        Int3 base = floorOf(scaled);
        Int3 limits = limits(volume);
        Int3 lower = Int3.max(new Int3(), base);
        Int3 upper = Int3.min(limits, Int3.add(base, 1));
        Int3 lowerLower = Int3.max(new Int3(), Int3.sub(base, 1));
        Int3 upperUpper = Int3.min(limits, Int3.add(base, 2));
        Float3 gradient = new Float3(trilinear(volume, 0, factor, lower, upper, lowerLower, upperUpper),
                trilinear(volume, 1, factor, lower, upper, lowerLower, upperUpper), trilinear(volume, 2, factor, lower, upper, lowerLower, upperUpper));
        Float3 voxel = new Float3(dim.getX() / volume.X(), dim.getY() / volume.Y(), dim.getZ() / volume.Z());
        return Float3.mult(gradient, Float3.mult(voxel, 0.5f * TO_DISTANCE));
    }

    /** {@code point} in voxels, less half a voxel: where the voxel centres are whole numbers. */
    private static Float3 scaled(VolumeShort2 volume, Float3 dim, Float3 point) {
        return new Float3(point.getX() * volume.X() / dim.getX() - 0.5f, point.getY() * volume.Y() / dim.getY() - 0.5f,
                point.getZ() * volume.Z() / dim.getZ() - 0.5f);
    }

    private static Int3 floorOf(Float3 scaled) {
        Float3 floor = Float3.floor(scaled);
        return new Int3((int) floor.getX(), (int) floor.getY(), (int) floor.getZ());
    }

    /** The last voxel's indices. */
    private static Int3 limits(VolumeShort2 volume) {
        return Int3.sub(new Int3(volume.X(), volume.Y(), volume.Z()), 1);
    }

    /**
     * The trilinear interpolation, with weights {@code factor}, of the cell between {@code lower} and {@code upper}: of the
     * voxels at its corners ({@code axis} -1), or of their differences along {@code axis} (0 x, 1 y, 2 z), a corner's
     * taken from {@code lowerLower} to {@code upper} on the lower side and from {@code lower} to {@code upperUpper} on the
     * upper. Interpolated along x first, then y, then z.
     */
    private static float trilinear(VolumeShort2 volume, int axis, Float3 factor, Int3 lower, Int3 upper, Int3 lowerLower, Int3 upperUpper) {
        float c00 = lerp(corner(volume, axis, 0, 0, 0, lower, upper, lowerLower, upperUpper), corner(volume, axis, 1, 0, 0, lower, upper,
                lowerLower, upperUpper), factor.getX());
        float c10 = lerp(corner(volume, axis, 0, 1, 0, lower, upper, lowerLower, upperUpper), corner(volume, axis, 1, 1, 0, lower, upper,
                lowerLower, upperUpper), factor.getX());
        float c01 = lerp(corner(volume, axis, 0, 0, 1, lower, upper, lowerLower, upperUpper), corner(volume, axis, 1, 0, 1, lower, upper,
                lowerLower, upperUpper), factor.getX());
        float c11 = lerp(corner(volume, axis, 0, 1, 1, lower, upper, lowerLower, upperUpper), corner(volume, axis, 1, 1, 1, lower, upper,
                lowerLower, upperUpper), factor.getX());
        return lerp(lerp(c00, c10, factor.getY()), lerp(c01, c11, factor.getY()), factor.getZ());
    }

    /** The voxel at corner {@code (sx, sy, sz)} (each 0 lower, 1 upper) of the cell, or its difference along {@code axis}. */
    private static float corner(VolumeShort2 volume, int axis, int sx, int sy, int sz, Int3 lower, Int3 upper, Int3 lowerLower,
                                Int3 upperUpper) {
        int x = side(sx, lower.getX(), upper.getX());
        int y = side(sy, lower.getY(), upper.getY());
        int z = side(sz, lower.getZ(), upper.getZ());
        if (axis < 0) {
            return vs(volume, x, y, z);
        }
        int side = axis == 0 ? sx : axis == 1 ? sy : sz;
        int to = side(side, lane(upper, axis), lane(upperUpper, axis));
        int from = side(side, lane(lowerLower, axis), lane(lower, axis));
        return axis == 0 ? vs(volume, to, y, z) - vs(volume, from, y, z)
                : axis == 1 ? vs(volume, x, to, z) - vs(volume, x, from, z) : vs(volume, x, y, to) - vs(volume, x, y, from);
    }

    private static int side(int side, int lower, int upper) {
        return side == 0 ? lower : upper;
    }

    private static int lane(Int3 v, int axis) {
        return axis == 0 ? v.getX() : axis == 1 ? v.getY() : v.getZ();
    }

    private static float lerp(float a, float b, float t) {
        return a * (1 - t) + b * t;
    }
}

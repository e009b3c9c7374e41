package uk.ac.manchester.tornado.api.types.utils;

import org.longnet.engine.api.DeviceFunctions;

/**
 * TornadoVM's helpers for {@code float} values that kernels call ({@code sq}), and its format strings. A device-function
 * class: kernels of any class may call its methods, which therefore may not be overloaded.
 */
@DeviceFunctions
public final class FloatOps {
    public static final float EPSILON = 1e-7f;
    public static final String FMT = "%.3f";
    public static final String FMT_2 = "{%.3f,%.3f}";
    public static final String FMT_3 = "{%.3f,%.3f,%.3f}";
    public static final String FMT_4 = "{%.3f,%.3f,%.3f,%.3f}";
    public static final String FMT_8 = "{%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f}";

    private FloatOps() {
    }

    /** {@code value * value}. */
    public static float sq(float value) {
        return value * value;
    }
}

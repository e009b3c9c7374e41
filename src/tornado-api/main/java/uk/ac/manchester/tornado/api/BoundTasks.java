package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.ByteArray;
import org.longnet.engine.api.CharArray;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.DoubleArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.LongArray;
import org.longnet.engine.api.Parallel;
import org.longnet.engine.api.ShortArray;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.images.GridView;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Tasks that are a method of one of TornadoVM's own objects, as TornadoVM's programs write them: {@code task("t0",
 * image::fill, 1f)} fills an image on the device. The engine's tasks are static kernels, so such a reference is replaced by
 * the kernel below that does the same to the object's engine array, the array becoming the task's first argument. So far:
 * {@code fill} of an image or volume, and the static {@code initialize(array, value)} of TornadoVM's arrays
 * ({@code FloatArray::initialize} and its kin), whose class is a host type that the translator never sees.
 */
final class BoundTasks {
    /** The package of TornadoVM's arrays, as a serialized lambda spells its classes. */
    private static final String TORNADO_ARRAYS = "uk/ac/manchester/tornado/api/types/arrays/";

    /** A task's kernel and its arguments. */
    record Replacement(Serializable kernel, Object[] args) {
    }

    private BoundTasks() {
    }

    /** What runs in place of {@code code} applied to {@code args}, or null where {@code code} is no method of TornadoVM's objects that this class knows. */
    static Replacement of(Serializable code, Object[] args) {
        SerializedLambda lambda = serialized(code);
        if (lambda == null) {
            return null;
        }
        if (lambda.getImplMethodKind() == MethodHandleInfo.REF_invokeStatic && lambda.getImplMethodName().equals("initialize")
                && lambda.getImplClass().startsWith(TORNADO_ARRAYS) && args.length == 2) {
            return fill(DeviceArrayView.of(args[0]), args[1], lambda.getImplClass().substring(TORNADO_ARRAYS.length()) + "::initialize");
        }
        if (lambda.getImplMethodKind() == MethodHandleInfo.REF_invokeVirtual && lambda.getCapturedArgCount() == 1
                && lambda.getCapturedArg(0) instanceof GridView<?> grid && lambda.getImplMethodName().equals("fill") && args.length == 1) {
            return fill(grid.deviceArray(), args[0], grid.getClass().getSimpleName() + "::fill");
        }
        return null;
    }

    /** The kernel that sets every element of {@code array} to {@code value}, which has the array's element type (Java checked it). */
    private static Replacement fill(DeviceArray array, Object value, String what) {
        Serializable kernel = switch (array) {
            case FloatArray unused -> (Task2<FloatArray, Float>) BoundTasks::fillFloat;
            case DoubleArray unused -> (Task2<DoubleArray, Double>) BoundTasks::fillDouble;
            case IntArray unused -> (Task2<IntArray, Integer>) BoundTasks::fillInt;
            case LongArray unused -> (Task2<LongArray, Long>) BoundTasks::fillLong;
            case ByteArray unused -> (Task2<ByteArray, Integer>) BoundTasks::fillByte;
            case ShortArray unused -> (Task2<ShortArray, Integer>) BoundTasks::fillShort;
            case CharArray unused -> (Task2<CharArray, Integer>) BoundTasks::fillChar;
            case HalfFloatArray unused -> (Task2<HalfFloatArray, Float>) BoundTasks::fillHalf;
            case null -> throw new IllegalArgumentException(what + " takes an array as its first argument, not " + value);
            default -> throw new IllegalArgumentException(what + " on a " + array.getClass().getSimpleName() + " cannot run as a task here");
        };
        // A device kernel takes no byte, short or char scalar: those travel as int, and the kernel casts them back. A
        // HalfFloat travels as its float value, which the array rounds back to the same fp16 number.
        Object scalar = switch (value) {
            case Byte b -> (int) b;
            case Short v -> (int) v;
            case Character c -> (int) c;
            case HalfFloat h -> h.getFloat32();
            default -> value;
        };
        return new Replacement(kernel, new Object[] {array, scalar});
    }

    /** The serialized form of a method reference, or null for an object that has none. */
    static SerializedLambda serialized(Serializable code) {
        try {
            Method writeReplace = code.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(code) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    // The kernels: each sets every element of its array to value. One per element type, because a kernel's parameters
    // have concrete types (kernels are not generic); byte, short and char values arrive as int (device kernels take no
    // 8- or 16-bit scalars).
    @Kernel
    static void fillFloat(FloatArray array, float value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, value);
        }
    }

    @Kernel
    static void fillByte(ByteArray array, int value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, (byte) value);
        }
    }

    @Kernel
    static void fillShort(ShortArray array, int value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, (short) value);
        }
    }

    @Kernel
    static void fillChar(CharArray array, int value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, (char) value);
        }
    }

    @Kernel
    static void fillInt(IntArray array, int value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, value);
        }
    }

    @Kernel
    static void fillLong(LongArray array, long value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, value);
        }
    }

    @Kernel
    static void fillDouble(DoubleArray array, double value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, value);
        }
    }

    @Kernel
    static void fillHalf(HalfFloatArray array, float value) {
        for (@Parallel long i = 0; i < array.getSize(); i++) {
            array.set(i, value);
        }
    }
}

package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.ByteArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;
import org.longnet.engine.api.ShortArray;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2;
import uk.ac.manchester.tornado.api.types.images.GridView;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Tasks that are a method of one of TornadoVM's own objects, as TornadoVM's programs write them: {@code task("t0",
 * image::fill, 1f)} fills an image on the device. The engine's tasks are static kernels, so such a reference is replaced by
 * the kernel below that does the same to the object's engine array, the array becoming the task's first argument. So far:
 * {@code fill} of an image or volume.
 */
final class BoundTasks {
    /** A task's kernel and its arguments. */
    record Replacement(Serializable kernel, Object[] args) {
    }

    private BoundTasks() {
    }

    /** What runs in place of {@code code} applied to {@code args}, or null where {@code code} is no method of TornadoVM's objects that this class knows. */
    static Replacement of(Serializable code, Object[] args) {
        SerializedLambda lambda = serialized(code);
        if (lambda == null || lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeVirtual || lambda.getCapturedArgCount() != 1
                || !(lambda.getCapturedArg(0) instanceof GridView<?> grid) || !lambda.getImplMethodName().equals("fill") || args.length != 1) {
            return null;
        }
        Serializable kernel = switch (grid.deviceArray()) {
            case FloatArray unused -> (Task2<FloatArray, Float>) BoundTasks::fillFloat;
            case ByteArray unused -> (Task2<ByteArray, Integer>) BoundTasks::fillByte;
            case ShortArray unused -> (Task2<ShortArray, Integer>) BoundTasks::fillShort;
            default -> throw new IllegalArgumentException("fill of a " + grid.getClass().getSimpleName() + " cannot run as a task here");
        };
        // a device kernel takes no byte or short scalar: those travel as int, and the kernel casts them back
        Object value = args[0] instanceof Byte || args[0] instanceof Short ? (Object) ((Number) args[0]).intValue() : args[0];
        return new Replacement(kernel, new Object[] {grid.deviceArray(), value});
    }

    /** The serialized form of a method reference, or null for an object that has none. */
    private static SerializedLambda serialized(Serializable code) {
        try {
            Method writeReplace = code.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(code) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    // The kernels: each sets every element of its array to value.
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
}

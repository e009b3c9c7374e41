package org.longnet.engine.api;

/**
 * An array of another API that keeps its elements in a {@link DeviceArray} (TornadoVM's arrays, in the
 * compatibility module). Task graphs take it wherever they take a kernel argument: the devices copy
 * and pass {@link #deviceArray()}, while the {@code jvm} device runs the kernel on the view itself,
 * whose accessors read the same memory. Its class carries {@link KernelView} naming the engine type,
 * so the translator spells its methods as that type's.
 */
public interface DeviceArrayView {
    /** The engine array that holds the elements; the same one for the life of the view. */
    DeviceArray deviceArray();

    /**
     * The extents of a view of more than one dimension, outermost first (rows, columns, then depth), which kernels
     * receive after the array's length; none for a flat view. As many as its {@link KernelView#dimensions()}.
     */
    default int[] extents() {
        return new int[0];
    }

    /** {@code argument}'s engine array: itself, a view's backing array, a Java array's {@link JavaArrays#mirror}, or null for anything else. */
    static DeviceArray of(Object argument) {
        if (JavaArrays.isJavaArray(argument)) {
            return JavaArrays.mirror(argument);
        }
        return switch (argument) {
            case DeviceArray array -> array;
            case DeviceArrayView view -> view.deviceArray();
            case null, default -> null;
        };
    }
}

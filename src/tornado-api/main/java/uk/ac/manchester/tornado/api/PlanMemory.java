package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.exceptions.TornadoBailoutRuntimeException;
import uk.ac.manchester.tornado.api.exceptions.TornadoMemoryException;
import uk.ac.manchester.tornado.api.exceptions.TornadoOutOfMemoryException;
import uk.ac.manchester.tornado.api.memory.DeviceHeap;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * The memory rules of a plan, checked before it runs: TornadoVM's device heap ({@link DeviceHeap}), the plan's own limit
 * ({@code withMemoryLimit}), and what {@code withBatch} needs of the arrays.
 */
final class PlanMemory {
    private PlanMemory() {
    }

    /** The bytes of the distinct arrays among {@code arrays}: what the device holds for them at once. */
    static long bytes(Collection<DeviceArray> arrays) {
        Set<DeviceArray> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(arrays);
        return distinct.stream().mapToLong(DeviceArray::byteSize).sum();
    }

    /**
     * Refuses a run whose {@code arrays} do not fit: the device heap with a {@link TornadoOutOfMemoryException}, the plan's
     * limit ({@code limit}, or negative for none) with a {@link TornadoMemoryException}, as TornadoVM does. With a batch
     * ({@code batch} not null) the arrays must first qualify ({@link #checkBatchable}); the engine then runs the plan whole,
     * so they must fit too: a kernel run over one range of its arrays at a time would see its loop index start again at 0
     * in each range, where TornadoVM's code adds the range's start to the index wherever its value is written.
     */
    static void check(TornadoDevice device, Collection<DeviceArray> arrays, long limit, String batch) {
        if (batch != null) {
            checkBatchable(arrays, batch);
        }
        long needed = bytes(arrays);
        long heap = DeviceHeap.size(device);
        String batched = batch == null ? "" : " (withBatch(\"" + batch + "\") runs here only where the whole fits: kernels take no batch offset)";
        if (needed > heap) {
            throw new TornadoOutOfMemoryException("the plan's arrays take " + size(needed) + " on " + device.getId() + ", more than its heap of "
                    + size(heap) + (System.getProperty(DeviceHeap.PROPERTY) != null ? " set by -D" + DeviceHeap.PROPERTY + "; raise it" : "") + batched);
        }
        if (limit >= 0 && needed > limit) {
            throw new TornadoMemoryException("the plan's arrays take " + size(needed) + " on " + device.getId() + ", more than its memory limit of "
                    + size(limit) + " (withMemoryLimit); raise the limit or run withoutMemoryLimit()" + batched);
        }
    }

    /**
     * What TornadoVM's batches need: every array the batched graphs use has the same number of elements of the same size,
     * so that batch k is the same range of each. Anything else is refused with TornadoVM's {@link TornadoBailoutRuntimeException}.
     */
    private static void checkBatchable(Collection<DeviceArray> arrays, String batch) {
        DeviceArray first = null;
        for (DeviceArray a : arrays) {
            if (first == null) {
                first = a;
            } else if (a.getSize() != first.getSize() || a.elementBytes() != first.elementBytes()) {
                throw new TornadoBailoutRuntimeException("withBatch(\"" + batch + "\") splits every array of the plan into the same ranges, so its "
                        + "arrays must have the same length and element size; it has " + describe(first) + " and " + describe(a));
            }
        }
    }

    private static String describe(DeviceArray a) {
        return a.getSize() + " elements of " + a.elementBytes() + " bytes";
    }

    /** {@code bytes} in the largest unit of which it is at least one (KB, MB, GB), to one decimal. */
    private static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

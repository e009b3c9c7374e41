package org.longnet.engine.device;

import org.longnet.engine.api.DeviceArray;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the devices behind a native driver ({@code opencl}, {@code cuda}) keep the same way: one
 * driver buffer of type {@code B} per resident array, keyed by the array itself; the bytes those
 * buffers take; and a generation that counts frees, so that a prepared launch knows when a buffer
 * it points to may be gone. Subclasses make the driver calls alone: create and release a buffer,
 * copy, build, launch. Every method that reads or changes the buffers holds the device's monitor,
 * as the subclasses' driver calls do, so one device's calls never interleave.
 */
public abstract class DriverDevice<B> implements Device {
    protected final DeviceInfo info;
    /** The extension of the translated source this device compiles: {@code cl} or {@code cu}. */
    private final String sourceExtension;
    private final Map<DeviceArray, B> buffers = new IdentityHashMap<>();
    private long allocatedBytes;
    /** Counts frees: a prepared launch made before a free may hold a dead buffer. */
    private volatile long generation;

    protected DriverDevice(DeviceInfo info, String sourceExtension) {
        this.info = info;
        this.sourceExtension = sourceExtension;
    }

    /** A driver buffer of {@code bytes} (at least 1); throws a {@link DeviceOutOfMemoryException} where it does not fit. */
    protected abstract B createBuffer(long bytes);

    /** Hands a buffer back to the driver; it is no longer in this device's bookkeeping. */
    protected abstract void releaseBuffer(B buffer);

    /** A timed copy measures its dispatch too, into a clock of its own that nobody reads. */
    @Override
    public final long copyToDevice(DeviceArray array, boolean timed) {
        return copyToDevice(array, timed ? new DispatchClock() : null);
    }

    @Override
    public final long copyToHost(DeviceArray array, boolean timed) {
        return copyToHost(array, timed ? new DispatchClock() : null);
    }

    @Override
    public abstract long copyToDevice(DeviceArray array, DispatchClock dispatch);

    @Override
    public abstract long copyToHost(DeviceArray array, DispatchClock dispatch);

    @Override
    public final DeviceInfo info() {
        return info;
    }

    @Override
    public final String kernelSource(Class<?> owner) {
        return KernelInfo.source(owner, sourceExtension);
    }

    @Override
    public final synchronized boolean isResident(DeviceArray array) {
        return buffers.containsKey(array);
    }

    @Override
    public final synchronized long residentBytes(DeviceArray array) {
        return buffers.containsKey(array) ? bytes(array) : 0;
    }

    @Override
    public final synchronized void allocate(DeviceArray array) {
        if (buffers.containsKey(array)) {
            return;
        }
        long bytes = bytes(array);
        buffers.put(array, createBuffer(bytes));
        allocatedBytes += bytes;
    }

    /** The buffer of {@code array}, made first if it has none. */
    protected final synchronized B allocated(DeviceArray array) {
        allocate(array);
        return buffers.get(array);
    }

    /** The buffer of a resident array; where it has none, a {@link DeviceException} with {@code notResident}'s message. */
    protected final synchronized B buffer(DeviceArray array, Supplier<String> notResident) {
        B buffer = buffers.get(array);
        if (buffer == null) {
            throw new DeviceException(notResident.get());
        }
        return buffer;
    }

    @Override
    public final synchronized void free(DeviceArray array) {
        B buffer = buffers.remove(array);
        if (buffer != null) {
            generation++;
            allocatedBytes -= bytes(array);
            releaseBuffer(buffer);
        }
    }

    @Override
    public final long frees() {
        return generation;
    }

    /** The bytes this device's buffers take together. */
    protected final synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** The bytes of an array's buffer: its size, and at least 1, since drivers refuse empty buffers. */
    protected static long bytes(DeviceArray array) {
        return Math.max(1, array.byteSize());
    }

    /** A device program (or module, or function) and the nanoseconds its build took now: 0 where it was built before. */
    protected record Built<P>(P program, long nanos) {
    }

    /** The program of {@code programs} under {@code key}, built by {@code build} and kept there first if it has none. */
    protected static <K, P> Built<P> built(Map<K, P> programs, K key, java.util.function.Function<K, P> build) {
        P program = programs.get(key);
        if (program != null) {
            return new Built<>(program, 0);
        }
        long start = System.nanoTime();
        program = build.apply(key);
        long nanos = System.nanoTime() - start;
        programs.put(key, program);
        return new Built<>(program, nanos);
    }

    /** An allocation of {@code bytes} did not fit; {@code detail} says which limit or call refused it. */
    protected final DeviceOutOfMemoryException outOfMemory(long bytes, String detail) {
        return new DeviceOutOfMemoryException(info.id(), bytes, freeMemory(), detail);
    }

    /**
     * A prepared launch that turns stale once any buffer of this device is freed after it was made; it carries the time its
     * making spent building the program ({@link Prepared#installNanos()}).
     */
    protected abstract class PreparedLaunch implements Prepared {
        private final long made = generation;
        private final long installNanos;

        protected PreparedLaunch() {
            this(0);
        }

        protected PreparedLaunch(long installNanos) {
            this.installNanos = installNanos;
        }

        @Override
        public final long installNanos() {
            return installNanos;
        }

        @Override
        public final long launch(boolean timed) {
            return launch(timed ? new DispatchClock() : null);
        }

        @Override
        public abstract long launch(DispatchClock dispatch);

        @Override
        public final boolean valid() {
            return generation == made;
        }
    }

    @Override
    public final synchronized void freeAll() {
        for (DeviceArray array : new ArrayList<>(buffers.keySet())) {
            free(array);
        }
    }

    /** Frees every buffer. */
    @Override
    public synchronized void close() {
        freeAll();
    }
}

package org.longnet.engine.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * An off-heap, long-indexed array that a kernel reads and writes. The host copy lives in a
 * {@link MemorySegment}; a device keeps its own copy and the task graph decides when the two meet.
 * Host pages are committed only when touched ({@link HostMemory}), so an array that only ever
 * lives on a GPU costs no host memory. Memory is released by {@link #close()} or, failing that, when the array
 * becomes unreachable.
 */
public abstract sealed class DeviceArray implements AutoCloseable
        permits FloatArray, IntArray, HalfFloatArray, BFloat16Array, DoubleArray, LongArray, ShortArray, ByteArray, CharArray {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long length;
    protected final MemorySegment segment;
    private final Cleaner.Cleanable cleanable;

    protected DeviceArray(long length, long elementBytes) {
        if (length < 0) {
            throw new IllegalArgumentException("array length must be >= 0, was " + length);
        }
        this.length = length;
        Arena arena = Arena.ofShared();
        this.segment = HostMemory.map(Math.max(1, length) * elementBytes, arena);
        this.cleanable = CLEANER.register(this, arena::close);
    }

    /**
     * An array over {@code elements}, memory its caller allocated and frees: nothing is copied, host reads and writes
     * of either are the other's, and {@link #close()} frees nothing. The segment must be native (devices copy from its
     * address) and hold a whole number of elements.
     */
    protected DeviceArray(MemorySegment elements, long elementBytes) {
        if (!elements.isNative()) {
            throw new IllegalArgumentException("an array over a caller's memory needs a native segment (from an Arena), not a heap one: "
                    + "devices copy from its address; copy a heap segment into a new array instead");
        }
        if (elements.byteSize() % elementBytes != 0) {
            throw new IllegalArgumentException("a segment of " + elements.byteSize() + " bytes does not hold a whole number of "
                    + elementBytes + "-byte elements");
        }
        this.length = elements.byteSize() / elementBytes;
        this.segment = elements;
        this.cleanable = () -> {
        };
    }

    /** The host memory, for copies, native calls and get/set. */
    public final MemorySegment segment() {
        return segment;
    }

    /** Number of elements. */
    public final long getSize() {
        return length;
    }

    /** Bytes per element. */
    public abstract int elementBytes();

    public final long byteSize() {
        return length * elementBytes();
    }

    /** Frees the host memory now; the array must not be used afterwards. */
    @Override
    public final void close() {
        cleanable.clean();
    }
}

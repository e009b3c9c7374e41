package org.longnet.engine.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * An off-heap, long-indexed array that a kernel reads and writes. The host copy lives in a
 * {@link MemorySegment}; a device keeps its own copy and the task graph decides when the two meet.
 * Memory is released by {@link #close()} or, failing that, when the array becomes unreachable.
 */
public abstract sealed class DeviceArray implements AutoCloseable
        permits FloatArray, IntArray, HalfFloatArray, BFloat16Array {
    private static final Cleaner CLEANER = Cleaner.create();

    protected final MemorySegment segment;
    private final long length;
    private final Cleaner.Cleanable cleanable;

    protected DeviceArray(long length, long elementBytes) {
        if (length < 0) {
            throw new IllegalArgumentException("array length must be >= 0, was " + length);
        }
        Arena arena = Arena.ofShared();
        try {
            this.segment = arena.allocate(Math.max(1, length) * elementBytes, 64);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw new OutOfMemoryError("cannot allocate " + length + " elements (" + length * elementBytes
                    + " bytes) off-heap: " + e.getMessage());
        }
        this.length = length;
        this.cleanable = CLEANER.register(this, arena::close);
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

    /** The host memory, for copies and native calls. */
    public final MemorySegment segment() {
        return segment;
    }

    /** Frees the host memory now; the array must not be used afterwards. */
    @Override
    public final void close() {
        cleanable.clean();
    }

    protected final void checkIndex(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + length + ")");
        }
    }
}

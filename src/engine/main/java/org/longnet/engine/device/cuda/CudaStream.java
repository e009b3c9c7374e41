package org.longnet.engine.device.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The stream that work enqueued now goes to, for libraries that take one (cuBLAS): the legacy NULL stream, or the stream of a
 * CUDA graph being recorded, with the device buffer ({@code workspace}, {@code workspaceBytes}) that recorded library calls use
 * as their workspace (0 and 0 on the NULL stream: the library's own).
 */
public record CudaStream(MemorySegment handle, long workspace, long workspaceBytes) {
    /** The legacy default stream, with the library's own workspace. */
    public static final CudaStream NULL = new CudaStream(MemorySegment.NULL, 0, 0);

    public boolean isNull() {
        return handle.equals(MemorySegment.NULL);
    }
}

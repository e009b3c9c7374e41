package org.longnet.engine.device.cuda;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@link TensorMap} as the kernel parameter CUDA's tensor copies read: the driver's 128-byte {@code CUtensorMap}
 * ({@code cuTensorMapEncodeTiled}), innermost dimension first, no interleave, the map's swizzle, out-of-bounds elements zero.
 * TensorMap has checked the hardware's rules already, so the driver's refusal here means a driver or device without them.
 */
final class CudaTensorMaps {
    /** CUtensorMapDataType: FLOAT16, FLOAT32, BFLOAT16. */
    private static final int FLOAT16 = 6, FLOAT32 = 7, BFLOAT16 = 9;
    /** sizeof(CUtensorMap), and the alignment the driver asks of it. */
    private static final int BYTES = 128, ALIGNMENT = 64;
    /** The first compute capability (times ten) with tensor copies. */

    private CudaTensorMaps() {
    }

    /**
     * The encoded map, allocated from {@code arena}, of {@code map} whose array is at device address {@code address}.
     *
     * @param arch what the kernel is compiled for ({@code sm_90a}): tensor copies need sm_90 or later
     */
    static MemorySegment encode(CudaDriver cu, Arena arena, TensorMap map, long address, String arch, String what) {
        if (!CudaArch.hopperOrLater(arch)) {
            throw new DeviceException(what + ": a TensorMap argument needs a GPU of compute capability 9.0 or later (tensor copies); this one "
                    + "compiles for " + arch);
        }
        MemorySegment encoded = arena.allocate(BYTES, ALIGNMENT);
        int bytes = map.elementBytes(), rank = map.rank();
        long[] sizes = new long[rank], strides = new long[rank - 1];
        int[] box = new int[rank], elementStrides = new int[rank];
        for (int d = 0; d < rank; d++) {
            sizes[d] = map.size(d);
            box[d] = map.box(d);
            elementStrides[d] = 1;
            if (d > 0) {
                strides[d - 1] = map.stride(d) * bytes;
            }
        }
        try {
            cu.check((int) cu.tensorMapEncodeTiled.invokeExact(encoded, dataType(map.deviceArray()), rank, address + map.offset() * bytes,
                    arena.allocateFrom(JAVA_LONG, sizes), arena.allocateFrom(JAVA_LONG, strides), arena.allocateFrom(JAVA_INT, box),
                    arena.allocateFrom(JAVA_INT, elementStrides), 0, swizzle(map), 0, 0),
                    "cuTensorMapEncodeTiled(" + what + ", " + map + ")");
        } catch (Throwable t) {
            throw NativeCall.failure("cuTensorMapEncodeTiled", t);
        }
        return encoded;
    }

    /** CUtensorMapSwizzle: NONE, 32B, 64B, 128B. */
    private static int swizzle(TensorMap map) {
        return switch (map.swizzle()) {
            case 32 -> 1;
            case 64 -> 2;
            case 128 -> 3;
            default -> 0; // TensorMap takes no other swizzle
        };
    }

    private static int dataType(DeviceArray array) {
        return switch (array) {
            case FloatArray f -> FLOAT32;
            case BFloat16Array b -> BFLOAT16;
            default -> FLOAT16; // TensorMap takes no other arrays
        };
    }
}

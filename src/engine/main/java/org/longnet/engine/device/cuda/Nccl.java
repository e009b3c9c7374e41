package org.longnet.engine.device.cuda;

import org.longnet.engine.collective.CollectiveException;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NCCL's C API through {@code java.lang.foreign} ({@code libnccl.so.2}). Collectives run on the CUDA
 * default stream, the one the engine's kernels run on, so they are ordered with them without host
 * synchronisation. {@code ncclUniqueId} is a 128-byte struct passed by value.
 */
final class Nccl {
    static final int SUCCESS = 0, IN_PROGRESS = 7;
    static final int FLOAT32 = 7, BFLOAT16 = 9, INT32 = 2, FLOAT16 = 6, FLOAT64 = 8, INT64 = 4, INT8 = 0, SUM = 0;
    static final StructLayout UNIQUE_ID = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(128, JAVA_BYTE).withName("internal"));

    private static volatile Nccl instance;

    final MethodHandle getUniqueId, commInitRank, commSplit, commAbort, commDestroy, commGetAsyncError, allGather, reduceScatter, allReduce,
            reduce, broadcast, groupStart, groupEnd, getErrorString;

    private Nccl(NativeLibrary lib) {
        getUniqueId = lib.statusFunction("ncclGetUniqueId", ADDRESS);
        commInitRank = lib.function("ncclCommInitRank", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, UNIQUE_ID, JAVA_INT));
        commSplit = lib.statusFunction("ncclCommSplit", ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        commAbort = lib.statusFunction("ncclCommAbort", ADDRESS);
        commDestroy = lib.statusFunction("ncclCommDestroy", ADDRESS);
        commGetAsyncError = lib.statusFunction("ncclCommGetAsyncError", ADDRESS, ADDRESS);
        allGather = lib.statusFunction("ncclAllGather", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        reduceScatter = lib.statusFunction("ncclReduceScatter", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        allReduce = lib.statusFunction("ncclAllReduce", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        reduce = lib.statusFunction("ncclReduce", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        broadcast = lib.statusFunction("ncclBroadcast", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        groupStart = lib.statusFunction("ncclGroupStart");
        groupEnd = lib.statusFunction("ncclGroupEnd");
        getErrorString = lib.function("ncclGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** NCCL, loaded on first use; throws {@link UnsatisfiedLinkError} where it is not installed. */
    static Nccl get() {
        Nccl n = instance;
        if (n == null) {
            synchronized (Nccl.class) {
                n = instance;
                if (n == null) {
                    instance = n = new Nccl(NativeLibrary.open(List.of("libnccl.so.2", "libnccl.so")));
                }
            }
        }
        return n;
    }

    /** NCCL's words for a result code. */
    String text(int result) {
        try {
            MemorySegment s = (MemorySegment) getErrorString.invokeExact(result);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "NCCL result " + result;
        }
    }

    /** Throws naming {@code what} unless {@code result} is success. */
    void check(int result, String what) {
        if (result != SUCCESS && result != IN_PROGRESS) {
            throw new CollectiveException(what + " failed: " + text(result));
        }
    }

    /** A fresh unique id (on the rank that creates the group), as 128 bytes. */
    byte[] uniqueId() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment id = a.allocate(UNIQUE_ID);
            check(call(getUniqueId, id), "ncclGetUniqueId");
            return id.toArray(JAVA_BYTE);
        }
    }

    static int call(MethodHandle f, Object... args) {
        try {
            return (int) f.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CollectiveException("NCCL call failed: " + t, t);
        }
    }
}

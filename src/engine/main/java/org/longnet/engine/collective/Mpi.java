package org.longnet.engine.collective;

import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Open MPI's C API through {@code java.lang.foreign} ({@code libmpi.so.40}, Debian's
 * {@code libopenmpi-dev}). Open MPI's handles are the addresses of global objects
 * ({@code MPI_COMM_WORLD} is {@code &ompi_mpi_comm_world}), so they are looked up as symbols and
 * passed as pointers. The process initialises MPI once, asking for {@code MPI_THREAD_MULTIPLE}
 * because the watchdog may abort the job from its own thread, and finalises it at exit.
 */
final class Mpi {
    static final int SUCCESS = 0;
    static final int THREAD_MULTIPLE = 3;
    static final int UNDEFINED = -32766;
    private static final int MAX_ERROR_STRING = 256;

    private static volatile Mpi instance;

    final MemorySegment world, floatType, doubleType, intType, byteType, sum, errorsReturn, inPlace;
    private final MethodHandle initialized, initThread, finalized, finalizeHandle, commRank, commSize, commSplit, commFree,
            setErrhandler, allgatherv, reduceScatter, allreduce, reduce, bcast, barrier, typeContiguous, typeCommit, typeFree,
            errorString, abort;
    /** What MPI_Init_thread granted. */
    final int threadLevel;

    private Mpi(NativeLibrary lib) {
        world = symbol(lib, "ompi_mpi_comm_world");
        floatType = symbol(lib, "ompi_mpi_float");
        doubleType = symbol(lib, "ompi_mpi_double");
        intType = symbol(lib, "ompi_mpi_int");
        byteType = symbol(lib, "ompi_mpi_byte");
        sum = symbol(lib, "ompi_mpi_op_sum");
        errorsReturn = symbol(lib, "ompi_mpi_errors_return");
        inPlace = MemorySegment.ofAddress(1); // Open MPI's MPI_IN_PLACE is ((void *) 1)
        initialized = lib.statusFunction("MPI_Initialized", ADDRESS);
        initThread = lib.statusFunction("MPI_Init_thread", ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        finalized = lib.statusFunction("MPI_Finalized", ADDRESS);
        finalizeHandle = lib.statusFunction("MPI_Finalize");
        commRank = lib.statusFunction("MPI_Comm_rank", ADDRESS, ADDRESS);
        commSize = lib.statusFunction("MPI_Comm_size", ADDRESS, ADDRESS);
        commSplit = lib.statusFunction("MPI_Comm_split", ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
        commFree = lib.statusFunction("MPI_Comm_free", ADDRESS);
        setErrhandler = lib.statusFunction("MPI_Comm_set_errhandler", ADDRESS, ADDRESS);
        allgatherv = lib.statusFunction("MPI_Allgatherv", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        reduceScatter = lib.statusFunction("MPI_Reduce_scatter", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        allreduce = lib.statusFunction("MPI_Allreduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        reduce = lib.statusFunction("MPI_Reduce", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        bcast = lib.statusFunction("MPI_Bcast", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        barrier = lib.statusFunction("MPI_Barrier", ADDRESS);
        typeContiguous = lib.statusFunction("MPI_Type_contiguous", JAVA_INT, ADDRESS, ADDRESS);
        typeCommit = lib.statusFunction("MPI_Type_commit", ADDRESS);
        typeFree = lib.statusFunction("MPI_Type_free", ADDRESS);
        errorString = lib.statusFunction("MPI_Error_string", JAVA_INT, ADDRESS, ADDRESS);
        abort = lib.statusFunction("MPI_Abort", ADDRESS, JAVA_INT);
        threadLevel = init();
        // Errors on the job's group come back as codes, so each becomes an exception that names its call and rank.
        check(call(setErrhandler, world, errorsReturn), "MPI_Comm_set_errhandler");
        Runtime.getRuntime().addShutdownHook(new Thread(this::finish, "mpi-finalize"));
    }

    /** The process's MPI, initialised on first use; throws {@link UnsatisfiedLinkError} where Open MPI is missing. */
    static Mpi get() {
        Mpi m = instance;
        if (m == null) {
            synchronized (Mpi.class) {
                m = instance;
                if (m == null) {
                    instance = m = new Mpi(NativeLibrary.open(List.of("libmpi.so.40", "libmpi.so")));
                }
            }
        }
        return m;
    }

    private static MemorySegment symbol(NativeLibrary lib, String name) {
        return lib.symbol(name);
    }

    private int init() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(JAVA_INT);
            check(call(initialized, flag), "MPI_Initialized");
            MemorySegment provided = a.allocate(JAVA_INT);
            if (flag.get(JAVA_INT, 0) != 0) {
                return THREAD_MULTIPLE;
            }
            check(call(initThread, MemorySegment.NULL, MemorySegment.NULL, THREAD_MULTIPLE, provided), "MPI_Init_thread");
            return provided.get(JAVA_INT, 0);
        }
    }

    /**
     * At exit: MPI_Finalize, unless a collective is still running (the job is being ended under it,
     * by mpirun because a peer failed): then say where this rank was, and leave MPI as it is.
     */
    private void finish() {
        java.util.List<String> running = Watchdog.get().running();
        if (!running.isEmpty()) {
            System.err.println("longnet: ended while waiting in " + String.join(", ", running)
                    + ": another rank failed or was stopped (mpirun's message says which)");
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(JAVA_INT);
            if (call(finalized, flag) == SUCCESS && flag.get(JAVA_INT, 0) == 0) {
                call(finalizeHandle);
            }
        }
    }

    MemorySegment world() {
        return world;
    }

    int rank(MemorySegment comm) {
        return intResult(commRank, comm, "MPI_Comm_rank");
    }

    int size(MemorySegment comm) {
        return intResult(commSize, comm, "MPI_Comm_size");
    }

    /** MPI_Comm_split: the new communicator's handle, or {@link MemorySegment#NULL} for {@link #UNDEFINED}. */
    MemorySegment split(MemorySegment comm, int color, int key) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(call(commSplit, comm, color, key, out), "MPI_Comm_split");
            MemorySegment handle = out.get(ADDRESS, 0);
            if (color != UNDEFINED) {
                check(call(setErrhandler, handle, errorsReturn), "MPI_Comm_set_errhandler");
            }
            return color == UNDEFINED ? MemorySegment.NULL : handle;
        }
    }

    void free(MemorySegment comm) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment holder = a.allocate(ADDRESS);
            holder.set(ADDRESS, 0, comm);
            call(commFree, holder);
        }
    }

    int allgatherv(MemorySegment send, int sendCount, MemorySegment recv, MemorySegment counts, MemorySegment displs,
                   MemorySegment type, MemorySegment comm) {
        return call(allgatherv, send, sendCount, type, recv, counts, displs, type, comm);
    }

    int reduceScatter(MemorySegment send, MemorySegment recv, MemorySegment counts, MemorySegment type, MemorySegment comm) {
        return call(reduceScatter, send, recv, counts, type, sum, comm);
    }

    int allreduce(MemorySegment send, MemorySegment recv, int count, MemorySegment type, MemorySegment comm) {
        return call(allreduce, send, recv, count, type, sum, comm);
    }

    int reduce(MemorySegment send, MemorySegment recv, int count, MemorySegment type, int root, MemorySegment comm) {
        return call(reduce, send, recv, count, type, sum, root, comm);
    }

    int bcast(MemorySegment buffer, int count, MemorySegment type, int root, MemorySegment comm) {
        return call(bcast, buffer, count, type, root, comm);
    }

    int barrier(MemorySegment comm) {
        return call(barrier, comm);
    }

    /** A committed datatype of {@code count} consecutive {@code base} elements; free it with {@link #freeType}. */
    MemorySegment contiguous(long count, MemorySegment base) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(call(typeContiguous, Math.toIntExact(count), base, out), "MPI_Type_contiguous");
            check(call(typeCommit, out), "MPI_Type_commit");
            return out.get(ADDRESS, 0);
        }
    }

    void freeType(MemorySegment type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment holder = a.allocate(ADDRESS);
            holder.set(ADDRESS, 0, type);
            call(typeFree, holder);
        }
    }

    /** Ends every process of the job (the watchdog's last resort); does not return. */
    void abort(int code) {
        call(abort, world, code);
    }

    /** MPI's own words for an error code. */
    String errorText(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment text = a.allocate(MAX_ERROR_STRING);
            MemorySegment length = a.allocate(JAVA_INT);
            if (call(errorString, code, text, length) != SUCCESS) {
                return "MPI error " + code;
            }
            return text.getString(0);
        }
    }

    private void check(int status, String what) {
        if (status != SUCCESS) {
            throw new CollectiveException(what + " failed: " + errorText(status));
        }
    }

    private int intResult(MethodHandle f, MemorySegment comm, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check(call(f, comm, out), what);
            return out.get(JAVA_INT, 0);
        }
    }

    private static int call(MethodHandle f, Object... args) {
        try {
            return (int) f.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new CollectiveException("MPI call failed: " + t, t);
        }
    }
}

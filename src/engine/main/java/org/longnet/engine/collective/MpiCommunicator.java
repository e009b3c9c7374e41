package org.longnet.engine.collective;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.IntSupplier;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Collectives through Open MPI, between processes on one host or many ({@code mpirun}). Device
 * arrays are staged through their host memory: copied to the host before a call and back to the
 * device after it, on every kind of device (on {@code jvm} both copies are nothing). MPI counts
 * are ints: large blocks travel as a contiguous datatype of their common divisor, and reductions
 * in slices, so no size is limited to 2^31 elements.
 * <p>
 * {@link #allReduce} reduces to rank 0 and broadcasts the result, so every rank holds the same bits
 * (an all-reduce may sum in a different order on each rank), which keeps replicated weights equal.
 */
public final class MpiCommunicator implements Communicator {
    /** Elements per reduction or broadcast call: well inside MPI's int counts. */
    private static final int SLICE = 1 << 28;

    private final Mpi mpi;
    private final MemorySegment comm;
    private final int rank, size;
    private final int[] jobRanks;
    private final Traffic traffic;
    private final boolean world;

    private MpiCommunicator(Mpi mpi, MemorySegment comm, Traffic traffic, boolean world) {
        this.mpi = mpi;
        this.comm = comm;
        this.traffic = traffic;
        this.world = world;
        this.rank = mpi.rank(comm);
        this.size = mpi.size(comm);
        this.jobRanks = world ? range(size) : gatherJobRanks();
    }

    /**
     * The job's group: every process {@code mpirun} started. Initialises MPI on first use; throws
     * {@link UnsatisfiedLinkError} with the library names tried where Open MPI is not installed.
     */
    public static MpiCommunicator world() {
        Mpi mpi = Mpi.get();
        Watchdog.get().onTimeout(() -> mpi.abort(1));
        return new MpiCommunicator(mpi, mpi.world(), new Traffic(), true);
    }

    /** Whether this process was started by Open MPI's {@code mpirun} (it sets OMPI_COMM_WORLD_SIZE). */
    public static boolean launchedByMpirun() {
        return System.getenv("OMPI_COMM_WORLD_SIZE") != null;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] jobRanks() {
        return jobRanks.clone();
    }

    @Override
    public Traffic traffic() {
        return traffic;
    }

    @Override
    public void allGather(Device device, DeviceArray send, DeviceArray recv, long[] counts) {
        long total = checkBlocks("allGather", send, recv, counts);
        int bytes = send.elementBytes();
        toHost(device, send);
        long unit = commonDivisor(counts) * bytes;
        if (unit > 0) {
            MemorySegment type = mpi.contiguous(unit, mpi.byteType);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment c = a.allocate(JAVA_INT, size), d = a.allocate(JAVA_INT, size);
                long at = 0;
                for (int i = 0; i < size; i++) {
                    c.setAtIndex(JAVA_INT, i, Math.toIntExact(counts[i] * bytes / unit));
                    d.setAtIndex(JAVA_INT, i, Math.toIntExact(at / unit));
                    at += counts[i] * bytes;
                }
                call("MPI_Allgatherv", () -> mpi.allgatherv(send.segment(), c.getAtIndex(JAVA_INT, rank), recv.segment(), c, d, type, comm));
            } finally {
                mpi.freeType(type);
            }
        }
        toDevice(device, recv);
        traffic.add("allGather", counts[rank] * bytes * (size - 1), (total - counts[rank]) * bytes);
    }

    @Override
    public void reduceScatter(Device device, FloatArray send, FloatArray recv, long[] counts) {
        long total = checkBlocks("reduceScatter", recv, send, counts);
        toHost(device, send);
        if (Arrays.stream(counts).allMatch(c -> c <= Integer.MAX_VALUE)) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment c = a.allocate(JAVA_INT, size);
                for (int i = 0; i < size; i++) {
                    c.setAtIndex(JAVA_INT, i, (int) counts[i]);
                }
                call("MPI_Reduce_scatter", () -> mpi.reduceScatter(send.segment(), recv.segment(), c, mpi.floatType, comm));
            }
        } else {
            // Blocks past MPI's int counts (reductions take only predefined types): each block summed into its rank in slices.
            long at = 0;
            for (int root = 0; root < size; root++) {
                for (long from = 0; from < counts[root]; from += SLICE) {
                    int n = (int) Math.min(SLICE, counts[root] - from);
                    MemorySegment part = send.segment().asSlice((at + from) * Float.BYTES, (long) n * Float.BYTES);
                    MemorySegment into = rank == root ? recv.segment().asSlice(from * Float.BYTES, (long) n * Float.BYTES) : MemorySegment.NULL;
                    int target = root;
                    call("MPI_Reduce", () -> mpi.reduce(part, into, n, mpi.floatType, target, comm));
                }
                at += counts[root];
            }
        }
        toDevice(device, recv);
        traffic.add("reduceScatter", (total - counts[rank]) * Float.BYTES, counts[rank] * Float.BYTES * (size - 1));
    }

    @Override
    public void allReduce(Device device, FloatArray buffer) {
        toHost(device, buffer);
        reduceAndBroadcast(buffer.segment(), buffer.getSize(), Float.BYTES, mpi.floatType);
        toDevice(device, buffer);
        traffic.add("allReduce", buffer.byteSize() * (rank == 0 ? size - 1 : 1), buffer.byteSize() * (rank == 0 ? size : 1));
    }

    @Override
    public void allReduce(double[] values) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocateFrom(JAVA_DOUBLE, values);
            reduceAndBroadcast(buffer, values.length, Double.BYTES, mpi.doubleType);
            MemorySegment.copy(buffer, JAVA_DOUBLE, 0, values, 0, values.length);
        }
        traffic.add("allReduce", (long) values.length * Double.BYTES, (long) values.length * Double.BYTES);
    }

    /** Sums {@code count} elements over the ranks into rank 0, then sends rank 0's result to all: the same bits everywhere. */
    private void reduceAndBroadcast(MemorySegment buffer, long count, int bytes, MemorySegment type) {
        for (long from = 0; from < count; from += SLICE) {
            int n = (int) Math.min(SLICE, count - from);
            MemorySegment slice = buffer.asSlice(from * bytes, (long) n * bytes);
            call("MPI_Reduce", () -> mpi.reduce(rank == 0 ? mpi.inPlace : slice, rank == 0 ? slice : MemorySegment.NULL, n, type, 0, comm));
            call("MPI_Bcast", () -> mpi.bcast(slice, n, type, 0, comm));
        }
    }

    @Override
    public void broadcast(Device device, DeviceArray buffer, int root) {
        if (root < 0 || root >= size) {
            throw new IllegalArgumentException("broadcast root must be a rank of the group, 0.." + (size - 1) + ", was " + root);
        }
        if (rank == root) {
            toHost(device, buffer);
        }
        for (long from = 0; from < buffer.byteSize(); from += SLICE) {
            int n = (int) Math.min(SLICE, buffer.byteSize() - from);
            MemorySegment slice = buffer.segment().asSlice(from, n);
            call("MPI_Bcast", () -> mpi.bcast(slice, n, mpi.byteType, root, comm));
        }
        toDevice(device, buffer);
        traffic.add("broadcast", rank == root ? buffer.byteSize() * (size - 1) : 0, rank == root ? 0 : buffer.byteSize());
    }

    @Override
    public void barrier() {
        call("MPI_Barrier", () -> mpi.barrier(comm));
    }

    @Override
    public Communicator split(int color, int key) {
        MemorySegment sub = call("MPI_Comm_split", color < 0 ? Mpi.UNDEFINED : color, key);
        return sub.equals(MemorySegment.NULL) ? null : new MpiCommunicator(mpi, sub, traffic, false);
    }

    private MemorySegment call(String what, int color, int key) {
        Watchdog.get().begin(what + " on " + describe());
        try {
            return mpi.split(comm, color, key);
        } finally {
            Watchdog.get().end();
        }
    }

    @Override
    public void close() {
        if (!world) {
            mpi.free(comm);
        }
    }

    /** Runs one MPI call under the watchdog; a failure names the call and this rank's group. */
    private void call(String what, IntSupplier mpiCall) {
        Watchdog.get().begin(what + " on " + describe());
        int status;
        try {
            status = mpiCall.getAsInt();
        } finally {
            Watchdog.get().end();
        }
        if (status != Mpi.SUCCESS) {
            throw new CollectiveException(what + " on " + describe() + " failed: " + mpi.errorText(status));
        }
    }

    private int[] gatherJobRanks() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mine = a.allocate(JAVA_INT), all = a.allocate(JAVA_INT, size);
            MemorySegment c = a.allocate(JAVA_INT, size), d = a.allocate(JAVA_INT, size);
            mine.set(JAVA_INT, 0, mpi.rank(mpi.world()));
            for (int i = 0; i < size; i++) {
                c.setAtIndex(JAVA_INT, i, 1);
                d.setAtIndex(JAVA_INT, i, i);
            }
            int status = mpi.allgatherv(mine, 1, all, c, d, mpi.intType, comm);
            if (status != Mpi.SUCCESS) {
                throw new CollectiveException("MPI_Allgatherv of job ranks failed: " + mpi.errorText(status));
            }
            return all.toArray(JAVA_INT);
        }
    }

    /** Checks one block per rank, the own block within {@code own}, all blocks within {@code all}; returns their sum. */
    private long checkBlocks(String call, DeviceArray own, DeviceArray all, long[] counts) {
        if (counts.length != size) {
            throw new IllegalArgumentException(call + " on " + describe() + ": " + counts.length + " block sizes given for " + size + " ranks");
        }
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(call + " on " + describe() + ": block sizes must be >= 0, one is " + c);
            }
            total += c;
        }
        if (own.getSize() < counts[rank] || all.getSize() < total) {
            throw new IllegalArgumentException(call + " on " + describe() + ": the arrays hold " + own.getSize() + " and " + all.getSize()
                    + " elements; this rank's block needs " + counts[rank] + " and all blocks " + total);
        }
        if (own.elementBytes() != all.elementBytes()) {
            throw new IllegalArgumentException(call + ": both arrays must have the same element type");
        }
        return total;
    }

    private static long commonDivisor(long[] counts) {
        long g = 0;
        for (long c : counts) {
            g = gcd(g, c);
        }
        return g;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static void toHost(Device device, DeviceArray array) {
        if (device.isResident(array)) {
            device.copyToHost(array, false);
        }
    }

    private static void toDevice(Device device, DeviceArray array) {
        if (!device.isResident(array)) {
            device.allocate(array);
        }
        device.copyToDevice(array, false);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}

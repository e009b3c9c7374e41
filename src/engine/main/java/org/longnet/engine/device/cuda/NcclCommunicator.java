package org.longnet.engine.device.cuda;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.ByteArray;
import org.longnet.engine.api.CharArray;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DoubleArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.LongArray;
import org.longnet.engine.api.ShortArray;
import org.longnet.engine.collective.CollectiveException;
import org.longnet.engine.collective.CollectiveTimeout;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Traffic;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Collectives between NVIDIA GPUs through NCCL, one rank per GPU, on the device buffers themselves and
 * on the default stream (ordered with the kernels). The group is bootstrapped through a host
 * communicator (MPI: rank 0's NCCL id is broadcast), which also carries barriers and host sums.
 * Blocks of different sizes go as a group of broadcasts (gather) or reductions (reduce-scatter),
 * equal ones as NCCL's own all-gather and reduce-scatter. While a call runs, NCCL's asynchronous
 * error is polled: a failed or vanished peer aborts the communicator and throws, naming the call and
 * the group, and so does a call past {@link CollectiveTimeout}.
 * <p>
 * NCCL refuses two ranks on one GPU: ranks that share a GPU use the MPI communicator instead.
 */
public final class NcclCommunicator implements Communicator {
    private static final int NO_COLOR = -1;

    private final Nccl nccl;
    private final CudaDevice device;
    private final Communicator host;
    private final MemorySegment comm;
    private final boolean job;

    private NcclCommunicator(Nccl nccl, CudaDevice device, Communicator host, MemorySegment comm, boolean job) {
        this.nccl = nccl;
        this.device = device;
        this.host = host;
        this.comm = comm;
        this.job = job;
    }

    /**
     * The NCCL group of {@code host}'s ranks, each on its own GPU {@code device}. Collective over {@code host}.
     * Throws {@link UnsatisfiedLinkError} where NCCL is not installed.
     */
    public static NcclCommunicator create(CudaDevice device, Communicator host) {
        Nccl nccl = Nccl.get();
        IntArray id = new IntArray(Nccl.UNIQUE_ID.byteSize() / Integer.BYTES);
        if (host.rank() == 0) {
            MemorySegment.copy(MemorySegment.ofArray(nccl.uniqueId()), 0, id.segment(), 0, Nccl.UNIQUE_ID.byteSize());
        }
        host.broadcast(Devices.jvm(), id, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            MemorySegment byValue = a.allocate(Nccl.UNIQUE_ID);
            MemorySegment.copy(id.segment(), 0, byValue, 0, Nccl.UNIQUE_ID.byteSize());
            device.timed(false, "ncclCommInitRank", () -> nccl.check((int) nccl.commInitRank.invokeExact(out, host.size(), byValue, host.rank()),
                    "ncclCommInitRank on " + host.describe()));
            return new NcclCommunicator(nccl, device, host, out.get(ADDRESS, 0), true);
        }
    }

    /**
     * The NCCL group over {@code host}'s ranks when {@code device} is a CUDA GPU and NCCL loads, else null with
     * the reason in {@code why} (for the caller to fall back to host collectives or to refuse).
     */
    public static NcclCommunicator tryCreate(Device device, Communicator host, StringBuilder why) {
        if (!(device instanceof CudaDevice cuda)) {
            why.append(device.info().id()).append(" is not a CUDA device");
            return null;
        }
        try {
            Nccl.get();
        } catch (UnsatisfiedLinkError e) {
            why.append("NCCL is not installed (").append(e.getMessage()).append(')');
            return null;
        }
        return create(cuda, host);
    }

    @Override
    public int rank() {
        return host.rank();
    }

    @Override
    public int size() {
        return host.size();
    }

    @Override
    public int[] jobRanks() {
        return host.jobRanks();
    }

    @Override
    public Traffic traffic() {
        return host.traffic();
    }

    @Override
    public void allGather(Device on, DeviceArray send, DeviceArray recv, long[] counts) {
        int type = type(send);
        long bytes = send.elementBytes(), total = Arrays.stream(counts).sum();
        long from = device.pointer(send), into = device.pointer(recv);
        if (Arrays.stream(counts).allMatch(c -> c == counts[0])) {
            run("ncclAllGather", () -> nccl.check((int) nccl.allGather.invokeExact(from, into, counts[0], type, comm, MemorySegment.NULL),
                    "ncclAllGather"));
        } else {
            run("ncclBroadcast (variable-size all-gather)", () -> group(() -> {
                long at = 0;
                for (int root = 0; root < size(); root++) {
                    long source = root == rank() ? from : into + at * bytes;
                    nccl.check((int) nccl.broadcast.invokeExact(source, into + at * bytes, counts[root], type, root, comm, MemorySegment.NULL),
                            "ncclBroadcast");
                    at += counts[root];
                }
            }));
        }
        count("allGather", counts[rank()] * bytes * (size() - 1), (total - counts[rank()]) * bytes);
    }

    @Override
    public void reduceScatter(Device on, FloatArray send, FloatArray recv, long[] counts) {
        long from = device.pointer(send), into = device.pointer(recv), total = Arrays.stream(counts).sum();
        if (Arrays.stream(counts).allMatch(c -> c == counts[0])) {
            run("ncclReduceScatter", () -> nccl.check((int) nccl.reduceScatter.invokeExact(from, into, counts[0], Nccl.FLOAT32, Nccl.SUM, comm,
                    MemorySegment.NULL), "ncclReduceScatter"));
        } else {
            run("ncclReduce (variable-size reduce-scatter)", () -> group(() -> {
                long at = 0;
                for (int root = 0; root < size(); root++) {
                    nccl.check((int) nccl.reduce.invokeExact(from + at * Float.BYTES, into, counts[root], Nccl.FLOAT32, Nccl.SUM, root, comm,
                            MemorySegment.NULL), "ncclReduce");
                    at += counts[root];
                }
            }));
        }
        count("reduceScatter", (total - counts[rank()]) * Float.BYTES, counts[rank()] * Float.BYTES * (size() - 1));
    }

    /** Reduced to rank 0, then broadcast: every rank ends with the same bits. */
    @Override
    public void allReduce(Device on, FloatArray buffer) {
        long at = device.pointer(buffer), n = buffer.getSize();
        run("ncclReduce + ncclBroadcast (all-reduce)", () -> {
            nccl.check((int) nccl.reduce.invokeExact(at, at, n, Nccl.FLOAT32, Nccl.SUM, 0, comm, MemorySegment.NULL), "ncclReduce");
            nccl.check((int) nccl.broadcast.invokeExact(at, at, n, Nccl.FLOAT32, 0, comm, MemorySegment.NULL), "ncclBroadcast");
        });
        count("allReduce", buffer.byteSize(), buffer.byteSize());
    }

    @Override
    public void allReduce(double[] values) {
        host.allReduce(values);
    }

    @Override
    public void broadcast(Device on, DeviceArray buffer, int root) {
        long at = device.pointer(buffer);
        int type = type(buffer);
        run("ncclBroadcast", () -> nccl.check((int) nccl.broadcast.invokeExact(at, at, buffer.getSize(), type, root, comm, MemorySegment.NULL),
                "ncclBroadcast"));
        count("broadcast", rank() == root ? buffer.byteSize() * (size() - 1) : 0, rank() == root ? 0 : buffer.byteSize());
    }

    @Override
    public void barrier() {
        host.barrier();
    }

    @Override
    public Communicator split(int color, int key) {
        Communicator sub = host.split(color, key);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            device.timed(false, "ncclCommSplit", () -> nccl.check((int) nccl.commSplit.invokeExact(comm, color < 0 ? NO_COLOR : color, key, out,
                    MemorySegment.NULL), "ncclCommSplit on " + describe()));
            return sub == null ? null : new NcclCommunicator(nccl, device, sub, out.get(ADDRESS, 0), false);
        }
    }

    @Override
    public void close() {
        if (!job) {
            Nccl.call(nccl.commDestroy, comm);
            host.close();
        }
    }

    private interface Calls {
        void run() throws Throwable;
    }

    private void group(Calls calls) throws Throwable {
        nccl.check((int) nccl.groupStart.invokeExact(), "ncclGroupStart");
        try {
            calls.run();
        } finally {
            nccl.check((int) nccl.groupEnd.invokeExact(), "ncclGroupEnd");
        }
    }

    /**
     * Enqueues a call on the default stream, then waits for the stream while polling NCCL's asynchronous error: a
     * failed peer or the timeout aborts the communicator and throws, so no rank waits forever.
     */
    private void run(String what, Calls calls) {
        device.timed(false, what, calls::run);
        long start = System.nanoTime();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment error = a.allocate(JAVA_INT);
            for (int polls = 0; !device.finished(); polls++) {
                nccl.check(Nccl.call(nccl.commGetAsyncError, comm, error), "ncclCommGetAsyncError");
                int async = error.get(JAVA_INT, 0);
                if (async != Nccl.SUCCESS && async != Nccl.IN_PROGRESS) {
                    Nccl.call(nccl.commAbort, comm);
                    throw new CollectiveException(what + " on " + describe() + " failed: " + nccl.text(async));
                }
                if (System.nanoTime() - start > CollectiveTimeout.nanos()) {
                    Nccl.call(nccl.commAbort, comm);
                    throw new CollectiveException(what + " on " + describe() + " did not finish within " + CollectiveTimeout.seconds()
                            + " s: a peer has died or stopped calling it (LONGNET_COLLECTIVE_TIMEOUT sets the limit)");
                }
                if (polls > 1000) {
                    Thread.sleep(0, 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectiveException(what + " on " + describe() + " was interrupted");
        }
    }

    private void count(String call, long sent, long received) {
        host.traffic().add(call, sent, received);
    }

    private static int type(DeviceArray array) {
        return switch (array) {
            case FloatArray f -> Nccl.FLOAT32;
            case BFloat16Array b -> Nccl.BFLOAT16;
            case HalfFloatArray h -> Nccl.FLOAT16;
            case IntArray i -> Nccl.INT32;
            case DoubleArray d -> Nccl.FLOAT64;
            case LongArray l -> Nccl.INT64;
            case ByteArray b -> Nccl.INT8;
            case ShortArray s -> throw new IllegalArgumentException("NCCL has no 16-bit integer type for a ShortArray");
            case CharArray c -> throw new IllegalArgumentException("NCCL has no 16-bit integer type for a CharArray");
        };
    }
}

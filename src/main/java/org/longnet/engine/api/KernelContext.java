package org.longnet.engine.api;

/**
 * What a work-item knows about itself, for kernels that manage their own work-groups
 * (TornadoVM's names). On a device each field reads the hardware id; on the JVM the runtime
 * fills them in per work-item, and {@link #localBarrier()} waits for the whole group.
 * Sizes are rounded up to a multiple of the work-group size, so a kernel guards its own tail.
 */
public class KernelContext {
    public int globalIdx, globalIdy, globalIdz;
    public int localIdx, localIdy, localIdz;
    public int groupIdx, groupIdy, groupIdz;
    public int globalGroupSizeX, globalGroupSizeY, globalGroupSizeZ;
    public int localGroupSizeX, localGroupSizeY, localGroupSizeZ;

    private final GroupMemory group;
    private int allocations;

    /**
     * The placeholder a task passes where the kernel takes its context, as in TornadoVM:
     * {@code graph.task("t", K::reduce, new KernelContext(), x, sums)}. The device fills in the real one.
     */
    public KernelContext() {
        this(null);
    }

    /** Used by the runtime to run work-items on the JVM. */
    protected KernelContext(GroupMemory group) {
        this.group = group;
    }

    private GroupMemory group() {
        if (group == null) {
            throw new IllegalStateException("this KernelContext is a placeholder: barriers and local memory work only when the "
                    + "kernel runs as a task of a task graph");
        }
        return group;
    }

    /** Waits until every work-item of the group reaches this point; local memory is then consistent. */
    public void localBarrier() {
        group().await();
    }

    /** A barrier over the work-group that also orders global memory (not a grid-wide barrier). */
    public void globalBarrier() {
        group().await();
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public float[] allocateFloatLocalArray(int size) {
        return (float[]) group().localArray(allocations++, () -> new float[size]);
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public int[] allocateIntLocalArray(int size) {
        return (int[]) group().localArray(allocations++, () -> new int[size]);
    }

    /** Called by the runtime before a work-item starts. */
    protected void resetAllocations() {
        allocations = 0;
    }

    /** The state one work-group shares on the JVM: its barrier and its local arrays. */
    public interface GroupMemory {
        void await();

        Object localArray(int ordinal, java.util.function.Supplier<Object> create);
    }
}

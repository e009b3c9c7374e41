package org.longnet.engine.translator;

import com.sun.source.tree.MethodTree;

/**
 * OpenCL C for a kernel with thread-block clusters ({@code @Kernel(clusterSize = C)}): the device runs each cluster of C
 * groups of L work-items as one work-group of C * L, so here the kernel's own view is put back. Along x, a work-item's
 * local id is its id modulo L, its group {@code get_group_id(0) * C} plus its rank, and the group size L; global ids and
 * sizes are the same in both views. Each local array is the rank's slice of an array C times longer
 * ({@code longnet_peer_NAME}, whose slices are {@code longnet_slice_NAME} elements long), through which
 * {@code Clusters.load} and {@code store} reach the peers. The intrinsics' {@code LONGNET_CLUSTER_SIZE} becomes C.
 */
record ClusteredOpenCl(Dialect base, int size, MethodTree kernel) implements Dialect {
    private static final String SIZE_TOKEN = "LONGNET_CLUSTER_SIZE";

    @Override
    public String spelling(Intrinsic intrinsic) {
        return base.spelling(intrinsic).replace(SIZE_TOKEN, Integer.toString(size));
    }

    @Override
    public String workItem(WorkItem what, int dim) {
        if (dim != 0) {
            return base.workItem(what, dim);
        }
        return switch (what) {
            case LOCAL_ID -> "longnet_block_local_id(" + size + ")";
            case GROUP_ID -> "((long) get_group_id(0) * " + size + " + longnet_cluster_rank(" + size + "))";
            case LOCAL_SIZE -> "((long) get_local_size(0) / " + size + ")";
            case GLOBAL_ID, GLOBAL_SIZE -> base.workItem(what, dim);
        };
    }

    @Override
    public String localArray(String elementType, String name, int length, int offset) {
        String peers = "longnet_peer_" + name, slice = "longnet_slice_" + name;
        return base.localArray(elementType, peers, length * size, offset) + "; const int " + slice + " = " + length + "; "
                + base.localPointer(elementType) + " " + name + " = " + peers + " + longnet_cluster_rank(" + size + ") * " + slice;
    }

    @Override
    public String sizedLocalPointer(String elementType, int ordinal, String offset) {
        throw new Rejected(kernel, "a kernel with @Kernel(clusterSize) takes local arrays of constant lengths only: on OpenCL its "
                + "clusters run as work-groups whose local arrays are C times longer");
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public String tensorMapParameter(String name) {
        return base.tensorMapParameter(name);
    }

    @Override
    public String helperTensorMapParameter(String name) {
        return base.helperTensorMapParameter(name);
    }

    @Override
    public String tensorMapArgument(String name) {
        return base.tensorMapArgument(name);
    }

    @Override
    public String runtime() {
        return base.runtime();
    }

    @Override
    public String kernelSignature(String name, String params, int groupSize, int minGroups) {
        return base.kernelSignature(name, params, groupSize, minGroups);
    }

    @Override
    public String deviceFunctionPrefix() {
        return base.deviceFunctionPrefix();
    }

    @Override
    public String globalPointer(String elementType) {
        return base.globalPointer(elementType);
    }

    @Override
    public String localPointer(String elementType) {
        return base.localPointer(elementType);
    }

    @Override
    public String halfStorageType() {
        return base.halfStorageType();
    }

    @Override
    public String sizedLocalParameter(String elementType, int ordinal) {
        return base.sizedLocalParameter(elementType, ordinal);
    }

    @Override
    public String fencedForMatrixUnits(String function) {
        return base.fencedForMatrixUnits(function);
    }

    @Override
    public String groupBarrier() {
        return base.groupBarrier();
    }

    @Override
    public String type(String javaPrimitive) {
        return base.type(javaPrimitive);
    }

    @Override
    public String unsignedOf(String javaPrimitive) {
        return base.unsignedOf(javaPrimitive);
    }

    @Override
    public String floatRemainder(String type, String left, String right) {
        return base.floatRemainder(type, left, right);
    }

    @Override
    public String saturatingCast(String fromPrimitive, String toPrimitive, String expr) {
        return base.saturatingCast(fromPrimitive, toPrimitive, expr);
    }
}

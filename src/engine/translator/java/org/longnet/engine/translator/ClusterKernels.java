package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;

import javax.lang.model.element.Element;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kernels with thread-block clusters and warp specialization ({@code Clusters}, {@code Warpgroups}) must respect
 * beyond the intrinsics' table, checked the same for every device so that a kernel builds everywhere or nowhere; and the
 * dialect a cluster kernel is translated in ({@link ClusteredOpenCl} on OpenCL).
 */
final class ClusterKernels {
    static final String CLUSTERS = "Clusters", WARPGROUPS = "Warpgroups";
    private static final int MAX_CLUSTER = 8, WARPGROUP = 128;
    /**
     * The KernelContext intrinsics a cluster kernel may call: the others emulate warps on OpenCL through the work-group's
     * ids, which there are the merged cluster's.
     */
    private static final Set<String> CLUSTER_SAFE = Set.of("localBarrier", "globalBarrier", "atomicAdd", "chunkLayoutIndex", "packBf16",
            "loadChunk", "loadChunkAsync", "waitChunks", "commitChunks");

    private ClusterKernels() {
    }

    /** The dialect kernel {@code m} ({@code method}, its element) is translated in. */
    static Dialect dialect(Dialect d, MethodTree m, Element method, boolean kernel) {
        int size = kernel ? clusterSize(method, m) : 0;
        return size > 0 && d instanceof OpenClDialect ? new ClusteredOpenCl(d, size, m) : d;
    }

    /** The kernel's {@code @Kernel(clusterSize)}, 0 without one. */
    static int clusterSize(Element method, Tree where) {
        int size = CTranslator.kernelSetting(method, where, "clusterSize");
        if (size > MAX_CLUSTER) {
            throw new Rejected(where, "@Kernel(clusterSize) must be 1 to " + MAX_CLUSTER + " (CUDA's portable cluster size), was " + size);
        }
        return size;
    }

    /** Refuses a call of {@code intrinsic}, with these C arguments, that the kernel or helper of {@code s} may not make. */
    static void check(MethodScope s, MethodInvocationTree call, Intrinsic intrinsic, Map<String, String> arguments) {
        String owner = intrinsic.owner(), what = owner + "." + intrinsic.name();
        boolean ours = owner.equals(CLUSTERS) || owner.equals(WARPGROUPS) && intrinsic.name().endsWith("Registers");
        if (ours && !s.isKernel) {
            throw new Rejected(call, what + " is called in the kernel itself, not in a helper: its limits are the kernel's");
        }
        int clusters = s.isKernel ? clusterSize(s.element(s.method), s.method) : 0;
        if (owner.equals(CLUSTERS) && clusters == 0) {
            throw new Rejected(call, what + " needs clusters: declare the kernel @Kernel(clusterSize = 1 to " + MAX_CLUSTER + ")");
        }
        if (owner.equals(JavaTypes.simple(JavaTypes.CONTEXT)) && clusters > 0 && !CLUSTER_SAFE.contains(intrinsic.name())) {
            throw new Rejected(call, "a kernel with @Kernel(clusterSize) cannot call KernelContext." + intrinsic.name()
                    + ": on OpenCL its warp emulation would read the merged cluster's ids; allowed: " + CLUSTER_SAFE.stream().sorted().toList());
        }
        if ((owner.equals("Tma") || owner.equals("Mbarriers")) && clusters > 0) {
            throw new Rejected(call, "a kernel with @Kernel(clusterSize) cannot call " + what + ": on OpenCL its group-wide copy and barrier "
                    + "would span the merged cluster, whose groups copy different tiles");
        }
        if (ours && owner.equals(WARPGROUPS)) {
            int count = Integer.parseInt(arguments.get("count"));
            if (count % 8 != 0 || count < 24 || count > 256) {
                throw new Rejected(call, what + "'s count must be a multiple of 8 from 24 to 256 (setmaxnreg), was " + count);
            }
            int group = CTranslator.kernelSetting(s.element(s.method), s.method, "groupSize");
            int groups = CTranslator.kernelSetting(s.element(s.method), s.method, "minGroupsPerUnit");
            if (group == 0 || group % WARPGROUP != 0 || groups == 0) {
                throw new Rejected(call, what + " needs @Kernel(groupSize = a multiple of " + WARPGROUP + ", minGroupsPerUnit = 1 or more), was "
                        + group + " and " + groups + ": ptxas honours setmaxnreg only where both launch bounds fix the registers at entry");
            }
        }
    }

    /** Refuses a cluster kernel's call of a helper that takes the KernelContext: on OpenCL the helper would see the merged group. */
    static void checkHelperCall(MethodScope s, MethodInvocationTree call, List<? extends ExpressionTree> arguments) {
        if (s.isKernel && clusterSize(s.element(s.method), s.method) > 0
                && arguments.stream().anyMatch(a -> s.javaType(a).equals(JavaTypes.CONTEXT))) {
            throw new Rejected(call, "a kernel with @Kernel(clusterSize) cannot pass its KernelContext to a helper (on OpenCL the helper "
                    + "would see the merged cluster's ids): read the ids in the kernel and pass them as ints");
        }
    }
}

package org.longnet.engine.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.ClusterShape;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.graph.WorkerGrid;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.Check.poisoned;
import static org.longnet.engine.Check.random;
import static org.longnet.engine.conformance.ClusterConformanceKernels.CLUSTER;
import static org.longnet.engine.conformance.ClusterConformanceKernels.GROUP;
import static org.longnet.engine.conformance.ClusterConformanceKernels.HALF;
import static org.longnet.engine.conformance.ClusterConformanceKernels.PAIR;
import static org.longnet.engine.conformance.ClusterConformanceKernels.SPECIALIZED_GROUP;
import static org.longnet.engine.conformance.ClusterConformanceKernels.STAGE;
import static org.longnet.engine.conformance.ClusterConformanceKernels.STEPS;
import static org.longnet.engine.conformance.ConformanceRuns.graph;
import static org.longnet.engine.conformance.ConformanceRuns.run;

/**
 * Thread-block clusters (distributed shared memory after cluster barriers) and warp specialization (setmaxnreg) on every
 * test device, against plain Java, outputs poisoned; on CUDA (sm_90a) the kernels run the real cluster launch, mapa,
 * ld/st.shared::cluster, barrier.cluster and setmaxnreg.
 */
@DeviceTest
class ClusterConformanceTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "a stencil across the groups of a cluster and a cluster-wide sum (distributed shared memory) on {0}")
    @MethodSource("devices")
    void stencilAndSumAcrossACluster(String id) {
        for (int n : new int[] {777, 2 * GROUP * CLUSTER, 1}) { // a tail, whole clusters, and one element in a cluster of four groups
            int clusters = (n + GROUP * CLUSTER - 1) / (GROUP * CLUSTER);
            FloatArray x = random(n, 41 + n, -3, 3), y = poisoned(n), sums = poisoned(clusters);
            IntArray ids = Check.poisonedInts(5L * n);
            run(id, graph(x).task("t", ClusterConformanceKernels::stencilAndSum, new KernelContext(), x, y, sums, ids, n)
                    .withGrid("t", WorkerGrid.of((long) clusters * GROUP * CLUSTER, GROUP)), y, sums, ids);
            double[] refY = new double[n], refSums = new double[clusters];
            int[] refIds = new int[5 * n];
            for (int i = 0; i < n; i++) {
                int cluster = i / (GROUP * CLUSTER);
                boolean clusterStart = i % (GROUP * CLUSTER) == 0, clusterEnd = i % (GROUP * CLUSTER) == GROUP * CLUSTER - 1;
                double left = clusterStart ? 0 : x.get(i - 1), right = clusterEnd || i + 1 >= n ? 0 : x.get(i + 1);
                refY[i] = left + 2.0 * x.get(i) + right;
                refSums[cluster] += x.get(i);
                int group = i / GROUP;
                System.arraycopy(new int[] {group, i % GROUP, GROUP, group % CLUSTER, cluster * 100 + CLUSTER}, 0, refIds, 5 * i, 5);
            }
            Check.close("stencil, n = " + n + ", on " + id, refY, y, 1e-6, 1e-6);
            Check.close("cluster sums, n = " + n + ", on " + id, refSums, sums, 1e-5, 1e-4);
            Check.equal("ids (group, local id, group size, rank, cluster), n = " + n + ", on " + id, refIds, ids);
        }
    }

    @ParameterizedTest(name = "a launch whose groups are no multiple of the cluster is refused before it runs, on {0}")
    @MethodSource("devices")
    void partialClusterIsRefused(String id) {
        int n = 3 * GROUP;
        FloatArray x = random(n, 5, -1, 1), y = poisoned(n), sums = poisoned(1);
        IntArray ids = Check.poisonedInts(5L * n);
        RuntimeException e = assertThrows(RuntimeException.class, () -> run(id, graph(x).task("t", ClusterConformanceKernels::stencilAndSum,
                new KernelContext(), x, y, sums, ids, n).withGrid("t", WorkerGrid.of(n, GROUP)), y));
        assertTrue(messages(e).contains("give a multiple of " + CLUSTER), "message: " + messages(e));
        for (int i = 0; i < n; i++) {
            assertTrue(Float.isNaN(y.get(i)), "element " + i + " was written by a refused launch");
        }
    }

    @Test
    void clusterLargerThanTheWorkGroupLimitIsRefused() {
        KernelInfo k = KernelInfo.of(ClusterConformanceKernels.class, "stencilAndSum");
        Launch launch = new Launch(new long[] {8L * GROUP}, new long[] {GROUP});
        assertEquals(GROUP * CLUSTER, ClusterShape.merged(k, launch, GROUP * CLUSTER).local()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterShape.merged(k, launch, GROUP * CLUSTER - 1));
        assertTrue(e.getMessage().contains("as one group of " + GROUP * CLUSTER + " here, more than this device's limit of " + (GROUP * CLUSTER - 1)),
                e.getMessage());
    }

    @ParameterizedTest(name = "a producer warpgroup feeding two consumers through a ring of stages, with setmaxnreg, on {0}")
    @MethodSource("devices")
    void warpSpecializedPipeline(String id) {
        for (int n : new int[] {3 * STEPS * STAGE + 301, STEPS * STAGE}) {
            int groups = (n + STEPS * STAGE - 1) / (STEPS * STAGE);
            FloatArray x = random(n, 77 + n, -4, 4), z = poisoned(n);
            IntArray roles = Check.poisonedInts((long) groups * SPECIALIZED_GROUP);
            run(id, graph(x).task("t", ClusterConformanceKernels::producerConsumer, new KernelContext(), x, z, roles, n)
                    .withGrid("t", WorkerGrid.of((long) groups * SPECIALIZED_GROUP, SPECIALIZED_GROUP)), z, roles);
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                int stageStart = i / STAGE * STAGE, j = i % STAGE;
                int next = stageStart + (j + 1) % STAGE;
                ref[i] = 3.0 * x.get(i) - (next < n ? x.get(next) : 0);
            }
            Check.close("consumers' results, n = " + n + ", on " + id, ref, z, 1e-6, 1e-6);
            int[] refRoles = new int[groups * SPECIALIZED_GROUP];
            for (int i = 0; i < refRoles.length; i++) {
                int local = i % SPECIALIZED_GROUP;
                refRoles[i] = local / 128 * 1000 + local % 128;
            }
            Check.equal("warpgroup index and thread, on " + id, refRoles, roles);
        }
    }

    @ParameterizedTest(name = "producers of a cluster's groups load halves of shared tiles that consumers read across the cluster, on {0}")
    @MethodSource("devices")
    void clusterSharesTilesBetweenSpecializedGroups(String id) {
        int tile = PAIR * HALF;
        for (int n : new int[] {2 * STEPS * tile + 3 * HALF + 17, STEPS * tile}) {
            int clusters = (n + STEPS * tile - 1) / (STEPS * tile), m = clusters * STEPS * tile;
            FloatArray x = random(n, 91 + n, -2, 2), y = poisoned(m);
            run(id, graph(x).task("t", ClusterConformanceKernels::clusterPipeline, new KernelContext(), x, y, n)
                    .withGrid("t", WorkerGrid.of((long) clusters * PAIR * tile, tile)), y);
            double[] ref = new double[m];
            for (int i = 0; i < m; i++) {
                int t = i % HALF, rank = i / HALF % PAIR, start = i / tile * tile;
                ref[i] = (rank + 1) * (value(x, start + t) + 2.0 * value(x, start + HALF + t));
            }
            Check.close("cluster pipeline, n = " + n + ", on " + id, ref, y, 1e-6, 1e-6);
        }
    }

    private static double value(FloatArray x, int i) {
        return i < x.getSize() ? x.get(i) : 0;
    }

    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}

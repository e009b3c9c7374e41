package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The paper's optimiser step on the device: the global gradient norm (for clipping) from
 * per-parameter partial sums, then AdamW on every parameter with the clipping factor folded in,
 * writing the bf16 copies of the weights that have one as it updates them.
 */
final class AdamW implements AutoCloseable {
    /** Hyper-parameters; the paper's are β (0.9, 0.98), weight decay 0.01, clipping at 2.0. */
    record Settings(double beta1, double beta2, double eps, double weightDecay, double clip) {
        static Settings paper() {
            return new Settings(0.9, 0.98, 1e-8, 0.01, 2.0);
        }
    }

    private static final int MAX_GROUPS = 64;
    private final Settings settings;
    private final FloatArray stepSettings = new FloatArray(AdamWKernels.SETTINGS);
    private final List<FloatArray> partials = new ArrayList<>();
    private final ExecutionPlan norm, update;
    /** The bf16 weight copies the update writes, or null. */
    private final Bf16Weights bf16;

    /**
     * {@code bf16}: the bf16 copies of weights among {@code params}, which each step writes too; or null. With {@code cudaGraph}
     * both plans replay CUDA graphs: a step's learning rate, clipping factor and bias corrections reach the kernels through
     * {@code stepSettings}, copied in before them at every step, never as arguments, which a recording would freeze.
     */
    AdamW(List<Parameter> params, Bf16Weights bf16, Device device, Settings settings, boolean cudaGraph) {
        this.settings = settings;
        this.bf16 = bf16;
        Map<Parameter, MatrixView> copies = bf16 == null ? Map.of() : bf16.byParameter();
        if (!params.containsAll(copies.keySet())) {
            throw new IllegalArgumentException("AdamW: every bf16 weight copy must be of one of the parameters it updates");
        }
        TaskGraph n = new TaskGraph("gradNorm");
        TaskGraph u = new TaskGraph("adamw").transferToDevice(DataTransferMode.EVERY_EXECUTION, stepSettings);
        List<DeviceArray> kept = new ArrayList<>();
        List<long[]> grids = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            int groups = (int) Math.min(MAX_GROUPS, (p.size() + NormKernels.GROUP - 1) / NormKernels.GROUP);
            FloatArray part = new FloatArray(groups);
            partials.add(part);
            grids.add(new long[] {(long) groups * NormKernels.GROUP});
            n.task("sq" + i, NormKernels::sumOfSquares, new KernelContext(), p.grad(), part);
            float beta1 = (float) settings.beta1(), beta2 = (float) settings.beta2(), eps = (float) settings.eps();
            float decay = p.decays() ? (float) settings.weightDecay() : 0f;
            MatrixView copy = copies.get(p);
            if (copy == null) {
                u.task("p" + i, AdamWKernels::update, p.value(), p.grad(), p.m(), p.v(), stepSettings, beta1, beta2, eps, decay);
            } else {
                int rows = (int) p.shape()[0], cols = (int) p.shape()[1];
                u.task("p" + i, AdamWKernels::updateWithBf16, p.value(), p.grad(), p.m(), p.v(), stepSettings, beta1, beta2, eps, decay,
                        (BFloat16Array) copy.array(), rows, cols, copy.stride(), (int) copy.offset());
                kept.add(copy.array());
            }
            kept.addAll(List.of(p.value(), p.grad(), p.m(), p.v()));
        }
        n.transferToHost(DataTransferMode.EVERY_EXECUTION, partials.toArray(new DeviceArray[0]));
        DeviceArray[] keep = kept.toArray(new DeviceArray[0]);
        norm = new ExecutionPlan(n.persistOnDevice(keep).snapshot()).withDevice(device).withCudaGraph(cudaGraph);
        for (int i = 0; i < grids.size(); i++) {
            norm.withGrid("gradNorm.sq" + i, WorkerGrid.of(grids.get(i)[0], NormKernels.GROUP));
        }
        update = new ExecutionPlan(u.persistOnDevice(keep).snapshot()).withDevice(device).withCudaGraph(cudaGraph);
    }

    /** The global L2 norm of the gradients as they are on the device now. */
    double gradientNorm() {
        norm.execute();
        double sum = 0;
        for (FloatArray p : partials) {
            for (long i = 0; i < p.getSize(); i++) {
                sum += p.get(i);
            }
        }
        return Math.sqrt(sum);
    }

    /** One update at learning rate {@code lr}; {@code step} counts from 1. Returns the norm before clipping. */
    double step(double lr, long step) {
        double gradNorm = gradientNorm();
        double scale = settings.clip() > 0 && gradNorm > settings.clip() ? settings.clip() / gradNorm : 1;
        AdamWKernels.settings(stepSettings, lr, scale, settings.beta1(), settings.beta2(), step);
        update.execute();
        if (bf16 != null) {
            bf16.updated();
        }
        return gradNorm;
    }

    @Override
    public void close() {
        norm.close();
        update.close();
    }
}

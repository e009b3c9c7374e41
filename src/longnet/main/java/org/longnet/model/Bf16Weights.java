package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.PrecisionKernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bf16 copy of every Linear's weight, the weight operand of the bf16 GEMMs (the fp32 masters stay what AdamW
 * updates): its own array, or for Q, K and V a third of the columns of their block's [d][3d]. The copies live on the
 * device as long as the model, and the forward reads them as they are.
 * <p>
 * Invariant: whenever a forward runs, every copy holds its master rounded to bf16. AdamW keeps it, writing each copy
 * as it updates the master ({@link AdamWKernels#updateWithBf16}), after which {@link #updated} says so; every other
 * change of the masters on the device (the model's construction, {@link LongNetModel#push} after loading or editing
 * weights) calls {@link #stale}, and {@link #makeCurrent}, before each forward, then rounds them all again.
 */
final class Bf16Weights implements AutoCloseable {
    private final Map<Linear, MatrixView> copies = new LinkedHashMap<>();
    private final Device device;
    private final ExecutionPlan refresh;
    private boolean current;

    /** With {@code cudaGraph}, the refresh plan replays a CUDA graph of its roundings. */
    Bf16Weights(List<ModelWeights.Block> blocks, int dModel, Device device, boolean cudaGraph) {
        this.device = device;
        for (ModelWeights.Block b : blocks) {
            List<Linear> qkv = List.of(b.q(), b.k(), b.v());
            BFloat16Array together = new BFloat16Array(3L * dModel * dModel);
            for (int t = 0; t < 3; t++) {
                copies.put(qkv.get(t), new MatrixView(together, (long) t * dModel, 3 * dModel));
            }
            for (Linear l : List.of(b.out(), b.fc1(), b.fc2())) {
                copies.put(l, MatrixView.rowsOf(new BFloat16Array(l.weight.size()), l.out));
            }
        }
        arrays().forEach(device::allocate);
        TaskGraph g = new TaskGraph("bf16Weights");
        List<DeviceArray> keep = new ArrayList<>(arrays());
        int i = 0;
        for (var e : copies.entrySet()) {
            Linear l = e.getKey();
            MatrixView copy = e.getValue();
            BFloat16Array into = (BFloat16Array) copy.array();
            // A copy that is a whole array is rounded flat, one element per work-item: cheaper than the strided kernel,
            // which also works out every element's row and column. (Named like layer tasks, so profiles fold them.)
            if (copy.stride() == l.out) {
                g.task("l" + i++ + "WeightBf16", PrecisionKernels::toBf16, l.weight.value(), into, l.weight.size());
            } else { // a third of the columns of a block's Q, K, V copy
                g.task("l" + i++ + "WeightBf16", PrecisionKernels::toBf16Columns, l.weight.value(), into, l.in, l.out, copy.stride(),
                        (int) copy.offset());
            }
            keep.add(l.weight.value());
        }
        refresh = new ExecutionPlan(g.persistOnDevice(keep.toArray(new DeviceArray[0])).snapshot()).withDevice(device).withCudaGraph(cudaGraph);
    }

    /** The copy of {@code l}'s weight. */
    MatrixView of(Linear l) {
        return copies.get(l);
    }

    /** The copy of each Linear's weight parameter, for AdamW to write as it updates them. */
    Map<Parameter, MatrixView> byParameter() {
        Map<Parameter, MatrixView> out = new LinkedHashMap<>();
        copies.forEach((l, copy) -> out.put(l.weight, copy));
        return out;
    }

    /** The masters changed on the device other than by AdamW: the copies must be rounded again before the next forward. */
    void stale() {
        current = false;
    }

    /** AdamW has just updated every master and written its copy. */
    void updated() {
        current = true;
    }

    /** Before a forward: rounds every master into its copy, unless the copies hold them already. */
    void makeCurrent() {
        if (!current) {
            refresh.execute();
            current = true;
        }
    }

    /** The copies' arrays, each once. */
    List<DeviceArray> arrays() {
        return new ArrayList<>(copies.values().stream().map(MatrixView::array).distinct().toList());
    }

    @Override
    public void close() {
        refresh.close();
        arrays().forEach(device::free);
    }
}

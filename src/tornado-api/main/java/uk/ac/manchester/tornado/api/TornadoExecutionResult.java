package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.graph.ExecutionResult;

/** What one {@link TornadoExecutionPlan#execute()} produced: its profile, and copies back on demand. */
public class TornadoExecutionResult {
    private final ExecutionResult result;
    private final TornadoProfilerResult profile;

    TornadoExecutionResult(ExecutionResult result, boolean profiled) {
        this.result = result;
        this.profile = new TornadoProfilerResult(result.profile(), profiled);
    }

    /** The times and bytes of the execution; zero unless the plan runs with a profiler. */
    public TornadoProfilerResult getProfilerResult() {
        return profile;
    }

    /** Copies arrays marked {@code UNDER_DEMAND} (or any array the plan keeps on the device) back to the host now. */
    public TornadoExecutionResult transferToHost(Object... objects) {
        for (int i = 0; i < objects.length; i++) {
            if (DeviceArrayView.of(objects[i]) == null) {
                throw new IllegalArgumentException("transferToHost takes off-heap arrays; argument " + (i + 1) + " is "
                        + (objects[i] == null ? "null" : "a " + objects[i].getClass().getSimpleName()));
            }
            result.transferToHost(DeviceArrayView.of(objects[i]));
        }
        return this;
    }

    /** Executions finish before {@code execute()} returns. */
    public boolean isReady() {
        return true;
    }
}

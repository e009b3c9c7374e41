package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.graph.ExecutionResult;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** What one {@link TornadoExecutionPlan#execute()} produced: its profile, and copies back on demand. */
public class TornadoExecutionResult {
    private final ExecutionResult result;
    private final TornadoProfilerResult profile;

    /** {@code trace}: the plan's settings when it ran ({@link TornadoExecutionPlan#getTraceExecutionPlan()}). */
    TornadoExecutionResult(ExecutionResult result, boolean profiled, String trace) {
        this.result = result;
        this.profile = new TornadoProfilerResult(result.profile(), profiled, trace);
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

    /**
     * Copies the elements of {@code range} of an array that the plan keeps on the device back to the host; the host's
     * other elements keep their values. (The engine copies whole arrays, so the bytes outside the range are saved
     * before the copy and put back after it.)
     */
    public TornadoExecutionResult transferToHost(DataRange range) {
        range.materialize();
        TornadoNativeArray array = range.getArray();
        MemorySegment host = array.getSegmentWithHeader();
        long from = range.getOffset(), to = from + range.getPartialSize(), end = array.getNumBytesOfSegmentWithHeader();
        byte[] before = host.asSlice(0, from).toArray(ValueLayout.JAVA_BYTE);
        byte[] after = host.asSlice(to, end - to).toArray(ValueLayout.JAVA_BYTE);
        result.transferToHost(array.deviceArray());
        MemorySegment.copy(before, 0, host, ValueLayout.JAVA_BYTE, 0, before.length);
        MemorySegment.copy(after, 0, host, ValueLayout.JAVA_BYTE, to, after.length);
        return this;
    }

    /** Executions finish before {@code execute()} returns. */
    public boolean isReady() {
        return true;
    }
}

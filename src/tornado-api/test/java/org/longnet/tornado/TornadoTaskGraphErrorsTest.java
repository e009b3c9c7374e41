package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.exceptions.TornadoTaskRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Task graphs and plans that TornadoVM refuses with its own exceptions, refused the same way here. */
class TornadoTaskGraphErrorsTest {
    @Test
    void aScalarCannotComeBackToTheHost() {
        int z = 0;
        FloatArray a = new FloatArray(4);
        var e = assertThrows(TornadoRuntimeException.class, () -> new TaskGraph("s0").transferToHost(DataTransferMode.EVERY_EXECUTION, a, z));
        assertEquals("transferToHost takes arrays; argument 2 is the scalar 0, which a kernel cannot write back: pass a one-element array",
                e.getMessage());
        new TaskGraph("s1").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, z);
    }

    @Test
    void twoTasksOfAGraphCannotShareAName() {
        FloatArray a = new FloatArray(4), b = new FloatArray(4), c = new FloatArray(4);
        TaskGraph graph = new TaskGraph("s0").task("t0", TornadoKernels::vectorAdd, a, b, c);
        var e = assertThrows(TornadoTaskRuntimeException.class, () -> graph.task("t0", TornadoKernels::vectorAdd, c, b, a));
        assertEquals("task graph s0 already has a task named t0", e.getMessage());
        graph.task("t1", TornadoKernels::vectorAdd, c, b, a);
    }

    @Test
    void aGridMustNameATaskOfThePlan() throws Exception {
        FloatArray a = new FloatArray(4), b = new FloatArray(4), c = new FloatArray(4);
        TaskGraph first = new TaskGraph("s0").task("t0", TornadoKernels::vectorAdd, a, b, c);
        TaskGraph second = new TaskGraph("s1").task("t1", TornadoKernels::vectorAdd, c, b, a);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(first.snapshot(), second.snapshot())) {
            var e = assertThrows(TornadoRuntimeException.class, () -> plan.withGridScheduler(new GridScheduler("s0.t1", new WorkerGrid1D(4))));
            assertEquals("the GridScheduler names [s0.t1], none of them a task of this plan [s0.t0, s1.t1] (a grid is named graph.task)",
                    e.getMessage());
            plan.withGridScheduler(new GridScheduler("s1.t1", new WorkerGrid1D(4)));
        }
    }
}

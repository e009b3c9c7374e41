package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/** mapOnDeviceMemoryRegion: one graph's array holds a region of another graph's array on the device, on every test device. */
@DeviceTest
class TornadoDeviceRegionsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void scaleRows(FloatArray matrix, float factor) {
        for (@Parallel int i = 0; i < matrix.getSize(); i++) {
            matrix.set(i, matrix.get(i) * factor);
        }
    }

    private static void addIndex(FloatArray row) {
        for (@Parallel int i = 0; i < row.getSize(); i++) {
            row.set(i, row.get(i) + i);
        }
    }

    @ParameterizedTest(name = "a row of another graph's matrix, read and written on the device, on {0}")
    @MethodSource("devices")
    void rowOfAnotherGraphsMatrix(String id) throws Exception {
        int rows = 37, cols = 29, pick = 17; // rows and columns not multiples of any work-group
        FloatArray matrix = new FloatArray(rows * cols);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < matrix.getSize(); i++) {
            matrix.set(i, (float) r.nextDouble(-1, 1));
        }
        FloatArray start = new FloatArray(rows * cols);
        for (int i = 0; i < matrix.getSize(); i++) {
            start.set(i, matrix.get(i));
        }
        FloatArray row = new FloatArray(cols);
        row.init(Float.NaN);
        TaskGraph scale = new TaskGraph("s0").transferToDevice(DataTransferMode.FIRST_EXECUTION, matrix)
                .task("scale", TornadoDeviceRegionsTest::scaleRows, matrix, 2f).transferToHost(DataTransferMode.UNDER_DEMAND, matrix);
        TaskGraph add = new TaskGraph("s1").transferToDevice(DataTransferMode.UNDER_DEMAND, row)
                .task("add", TornadoDeviceRegionsTest::addIndex, row).transferToHost(DataTransferMode.EVERY_EXECUTION, row);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scale.snapshot(), add.snapshot())) {
            plan.withDevice(device(id));
            plan.withGraph(0).execute();
            plan.mapOnDeviceMemoryRegion(row, matrix, (long) pick * cols, 0, 1);
            plan.withGraph(1).execute();
            for (int j = 0; j < cols; j++) {
                assertEquals(start.get(pick * cols + j) * 2f + j, row.get(j), "row element " + j);
            }
            TornadoExecutionResult result = plan.withGraph(0).execute(); // sees the row graph 1 wrote
            result.transferToHost(matrix);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float once = start.get(i * cols + j) * 2f;
                    float want = (i == pick ? once + j : once) * 2f;
                    assertEquals(want, matrix.get(i * cols + j), "matrix element " + i + ", " + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "a region outside its source is refused on {0}")
    @MethodSource("devices")
    void regionOutsideItsSourceIsRefused(String id) throws Exception {
        FloatArray matrix = new FloatArray(100), row = new FloatArray(30);
        DoubleArray doubles = new DoubleArray(30);
        TaskGraph scale = new TaskGraph("s0").transferToDevice(DataTransferMode.FIRST_EXECUTION, matrix)
                .task("scale", TornadoDeviceRegionsTest::scaleRows, matrix, 2f);
        TaskGraph add = new TaskGraph("s1").transferToDevice(DataTransferMode.UNDER_DEMAND, row)
                .task("add", TornadoDeviceRegionsTest::addIndex, row);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scale.snapshot(), add.snapshot())) {
            plan.withDevice(device(id)).withGraph(0).execute();
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> plan.mapOnDeviceMemoryRegion(row, matrix, 80, 0, 1));
            assertTrue(outside.getMessage().contains("does not lie inside"), outside.getMessage());
            assertThrows(TornadoRuntimeException.class, () -> plan.mapOnDeviceMemoryRegion(row, doubles, 0, 0, 1));
        }
    }
}

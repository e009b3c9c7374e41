package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.cusparse.Cusparse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** cuSPARSE's CSR products through libraryTask on every test device, against the dense product in float64. */
@DeviceTest
class CusparseTest {
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    static List<String> devices() {
        return LibraryTests.devices();
    }

    @ParameterizedTest(name = "SpMV and SpMM of a random CSR matrix with empty rows, on {0}")
    @MethodSource("devices")
    void products(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(51);
        int rows = 14, cols = 11, n = 4;
        double[] dense = new double[rows * cols];
        List<Integer> offsets = new ArrayList<>(List.of(0)), columns = new ArrayList<>();
        List<Float> entries = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols && i % 5 != 3; j++) { // rows 3, 8, 13 stay empty
                if (r.nextDouble() < 0.3) {
                    float v = (float) r.nextDouble(-1, 1);
                    dense[i * cols + j] = v;
                    columns.add(j);
                    entries.add(v);
                }
            }
            offsets.add(columns.size());
        }
        int nnz = columns.size();
        IntArray rowOffsets = IntArray.fromElements(offsets.stream().mapToInt(Integer::intValue).toArray());
        IntArray colInd = IntArray.fromElements(columns.stream().mapToInt(Integer::intValue).toArray());
        FloatArray values = new FloatArray(nnz);
        for (int e = 0; e < nnz; e++) {
            values.set(e, entries.get(e));
        }
        FloatArray x = floats(r, cols), y = poisoned(rows), b = floats(r, cols * n), c = poisoned(rows * n);
        run(id, new TaskGraph("g").transferToDevice(EVERY, rowOffsets, colInd, values, x, b)
                .libraryTask("mv", Cusparse::cusparseSpMV, rows, cols, nnz, rowOffsets, colInd, values, x, y)
                .libraryTask("mm", Cusparse::cusparseSpMM, rows, cols, n, nnz, rowOffsets, colInd, values, b, c)
                .transferToHost(EVERY, y, c), 1);
        assertClose(Reference.rowMajor(rows, 1, cols, dense, values(x)), y, 1e-5);
        assertClose(Reference.rowMajor(rows, n, cols, dense, values(b)), c, 1e-5);
    }
}

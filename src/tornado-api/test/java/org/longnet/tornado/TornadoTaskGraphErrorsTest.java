package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Task graphs that TornadoVM refuses with its TornadoRuntimeException, refused the same way here. */
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
}

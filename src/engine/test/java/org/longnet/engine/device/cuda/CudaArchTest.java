package org.longnet.engine.device.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The architecture NVRTC compiles for, and which ones have Hopper's hardware (clusters, the tensor memory accelerator). */
class CudaArchTest {
    @Test
    void hopperGetsItsArchitectureSpecificTargetAndOthersThePlainOne() {
        assertEquals("sm_90a", CudaArch.of(9, 0));
        assertEquals("sm_80", CudaArch.of(8, 0));
        assertEquals("sm_89", CudaArch.of(8, 9));
        assertEquals("sm_100", CudaArch.of(10, 0));
    }

    @Test
    void hopperAndLaterHaveTheTensorMemoryAccelerator() {
        assertTrue(CudaArch.hopperOrLater("sm_90a"));
        assertTrue(CudaArch.hopperOrLater("sm_90"));
        assertTrue(CudaArch.hopperOrLater("sm_100"));
        assertFalse(CudaArch.hopperOrLater("sm_89"));
        assertFalse(CudaArch.hopperOrLater("sm_80"));
    }
}

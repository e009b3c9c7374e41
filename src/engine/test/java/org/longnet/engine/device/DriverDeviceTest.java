package org.longnet.engine.device;

import org.junit.jupiter.api.Test;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buffer bookkeeping that the opencl and cuda devices share, on a driver that only counts. */
class DriverDeviceTest {
    /** A device of 1000 bytes whose buffers are numbers, and which records what its driver was asked. */
    private static final class CountingDevice extends DriverDevice<Integer> {
        final List<String> calls = new ArrayList<>();
        private int next;

        CountingDevice() {
            super(new DeviceInfo("counting:0", "counting", "counting", "none", 1000, 1000, 1, 256, 0, false), "cl");
        }

        @Override
        protected Integer createBuffer(long bytes) {
            if (allocatedBytes() + bytes > info.globalMemoryBytes()) {
                throw outOfMemory(bytes, "counting driver");
            }
            calls.add("create " + bytes);
            return next++;
        }

        @Override
        protected void releaseBuffer(Integer buffer) {
            calls.add("release " + buffer);
        }

        @Override
        public long freeMemory() {
            return info.globalMemoryBytes() - allocatedBytes();
        }

        Prepared prepared() {
            return new PreparedLaunch() {
                @Override
                public long launch(DispatchClock dispatch) {
                    return -1;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public long copyToDevice(DeviceArray array, DispatchClock dispatch) {
            return allocated(array);
        }

        @Override
        public long copyToHost(DeviceArray array, DispatchClock dispatch) {
            return buffer(array, () -> "not here");
        }

        // Beyond the bookkeeping: nothing here to run.

        @Override
        public Prepared prepare(KernelInfo kernel, Object[] args, Launch launch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long timeBuild(Class<?> owner, boolean diskCache) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void synchronize() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anArrayGetsOneBufferUntilFreedAndEveryByteIsCounted() {
        CountingDevice device = new CountingDevice();
        FloatArray a = new FloatArray(10);
        IntArray empty = new IntArray(0);
        device.allocate(a);
        device.allocate(a);
        assertEquals(0L, device.copyToDevice(a, false), "the buffer made by allocate");
        device.allocate(empty);
        assertTrue(device.isResident(a) && device.isResident(empty));
        assertEquals(List.of("create 40", "create 1"), device.calls, "an empty array still gets a 1-byte buffer");
        assertEquals(1000 - 41, device.freeMemory());
        device.free(a);
        device.free(a);
        assertFalse(device.isResident(a));
        assertEquals(List.of("create 40", "create 1", "release 0"), device.calls);
        assertEquals(1000 - 1, device.freeMemory());
    }

    @Test
    void aPreparedLaunchTurnsStaleOnceAnyBufferIsFreed() {
        CountingDevice device = new CountingDevice();
        FloatArray a = new FloatArray(4), b = new FloatArray(4);
        device.allocate(a);
        Device.Prepared prepared = device.prepared();
        device.allocate(b);
        device.free(new FloatArray(4)); // never resident: frees nothing
        assertTrue(prepared.valid());
        device.free(b);
        assertFalse(prepared.valid());
        assertTrue(device.prepared().valid());
    }

    @Test
    void aMissingBufferSaysWhatTheCallerAsked() {
        CountingDevice device = new CountingDevice();
        DeviceException e = assertThrows(DeviceException.class, () -> device.copyToHost(new FloatArray(4), false));
        assertEquals("not here", e.getMessage());
    }

    @Test
    void anAllocationThatDoesNotFitLeavesNothingBehind() {
        CountingDevice device = new CountingDevice();
        FloatArray big = new FloatArray(300);
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> device.allocate(big));
        assertTrue(e.getMessage().startsWith("out of memory on counting:0: asked for 0.0 MiB, 0.0 MiB free (counting driver)"),
                e.getMessage());
        assertFalse(device.isResident(big));
        assertEquals(1000, device.freeMemory());
    }

    @Test
    void closeReleasesEveryBuffer() {
        CountingDevice device = new CountingDevice();
        FloatArray a = new FloatArray(1), b = new FloatArray(2);
        device.allocate(a);
        device.allocate(b);
        device.close();
        assertFalse(device.isResident(a) || device.isResident(b));
        assertEquals(List.of("create 4", "create 8", "release 0", "release 1").stream().sorted().toList(),
                device.calls.stream().sorted().toList());
        assertEquals(1000, device.freeMemory());
    }
}

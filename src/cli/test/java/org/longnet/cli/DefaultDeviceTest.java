package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import org.longnet.engine.device.Devices.Backend;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 'auto' picks the fastest kind of device present, and 'longnet devices' says why. */
class DefaultDeviceTest {
    private static final Backend JVM = new Backend("jvm", List.of(device("jvm", "jvm", false)), null);
    private static final Backend NO_CUDA = new Backend("cuda", List.of(), "libcuda.so.1: not found");
    private static final Backend NO_OPENCL = new Backend("opencl", List.of(), "libOpenCL.so.1: not found");
    private static final Backend POCL = new Backend("opencl", List.of(device("opencl:0:0", "opencl", false)), null);

    @Test
    void autoPicksACudaGpuThenAnOpenClGpuThenAnOpenClCpuThenJvm() {
        Backend cuda = new Backend("cuda", List.of(device("cuda:0", "cuda", true), device("cuda:1", "cuda", true)), null);
        Backend pocl = POCL;
        Backend poclAndNvidia = new Backend("opencl", List.of(device("opencl:0:0", "opencl", false), device("opencl:1:0", "opencl", true)), null);
        assertEquals("jvm", Devices.fastest(List.of(JVM, NO_OPENCL, NO_CUDA)));
        assertEquals("opencl:0:0", Devices.fastest(List.of(JVM, pocl, NO_CUDA)), "PoCL on the CPU runs kernels faster than jvm");
        assertEquals("opencl:1:0", Devices.fastest(List.of(JVM, poclAndNvidia, NO_CUDA)), "an OpenCL GPU before an OpenCL CPU");
        assertEquals("cuda:0", Devices.fastest(List.of(JVM, poclAndNvidia, cuda)), "CUDA before OpenCL");
        assertEquals("cuda:0", Devices.fastest(List.of(JVM, NO_OPENCL, cuda)));
        assertEquals("jvm", Devices.fastest(List.of(JVM, new Backend("opencl", List.of(), "the driver loads but reports no devices"), NO_CUDA)));
    }

    @Test
    void devicesSaysWhyAutoPickedTheDefault() {
        assertTrue(DevicesCommand.whyAuto(device("cuda:0", "cuda", true)).contains("a CUDA GPU comes first"));
        assertTrue(DevicesCommand.whyAuto(device("opencl:1:0", "opencl", true)).contains("no CUDA GPU, and an OpenCL GPU comes next"));
        assertTrue(DevicesCommand.whyAuto(device("opencl:0:0", "opencl", false)).contains("no GPU, and an OpenCL device on the CPU"));
        assertTrue(DevicesCommand.whyAuto(device("jvm", "jvm", false)).contains("PoCL: apt-get install pocl-opencl-icd"));

        String printed = CliTest.printedBy("devices");
        String picked = Devices.fastest(Devices.discover());
        assertTrue(printed.contains("* default device: " + picked + ", picked by 'auto': "), printed);
        assertTrue(printed.lines().anyMatch(l -> l.startsWith("*") && l.contains(" " + picked + " ")), "the table marks " + picked + ":\n" + printed);
    }

    private static DeviceInfo device(String id, String backend, boolean gpu) {
        return new DeviceInfo(id, backend, id, "driver", 1L << 30, 1L << 28, 2, 256, 1 << 15, gpu);
    }
}

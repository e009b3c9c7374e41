package uk.ac.manchester.tornado.api.enums;

/** The kind of a device; the engine's devices are CPUs (jvm, OpenCL on a CPU) or GPUs. */
public enum TornadoDeviceType {
    UNKNOWN,
    DEFAULT,
    CPU,
    GPU,
    FPGA,
    ACCELERATOR,
    CUSTOM,
    ALL
}

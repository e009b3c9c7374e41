package uk.ac.manchester.tornado.api.enums;

/** TornadoVM's backends; the engine's jvm device is JAVA, its opencl OPENCL and its cuda CUDA. */
public enum TornadoVMBackendType {
    OPENCL("OpenCL"),
    METAL("Metal"),
    PTX("PTX"),
    CUDA("CUDA"),
    SPIRV("SPIRV"),
    JAVA("Java"),
    VIRTUAL("Virtual");

    private final String backendName;

    TornadoVMBackendType(String backendName) {
        this.backendName = backendName;
    }

    public String getName() {
        return backendName;
    }

    /** The backend of an engine backend name ({@code jvm}, {@code opencl}, {@code cuda}). */
    public static TornadoVMBackendType ofEngine(String backend) {
        return switch (backend) {
            case "opencl" -> OPENCL;
            case "cuda" -> CUDA;
            default -> JAVA;
        };
    }
}

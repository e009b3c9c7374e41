package org.longnet.engine.translator;

/** CUDA C++ for NVRTC (and nvcc); needs no header, so it compiles without an include path. */
final class CudaDialect implements Dialect {
    private static final String RUNTIME = RuntimeFiles.load("longnet_runtime.cuh");
    private static final String BARRIER = "__syncthreads()", FENCED_BARRIER = "longnet_barrier_for_matrix_units()";

    @Override
    public String name() {
        return "cu";
    }

    @Override
    public String runtime() {
        return RUNTIME;
    }

    @Override
    public String spelling(Intrinsic intrinsic) {
        return intrinsic.cuda();
    }

    @Override
    public String kernelSignature(String name, String params, int groupSize, int minGroups) {
        String bounds = groupSize <= 0 ? "" : "__launch_bounds__(" + groupSize + (minGroups > 0 ? ", " + minGroups : "") + ") ";
        return "extern \"C\" __global__ void " + bounds + name + "(" + params + ")";
    }

    /**
     * Kernel helpers are small and called from several kernels of one module; left to itself nvcc
     * sometimes keeps one as a real call, and which one depends on the launch bounds of the other
     * kernels of the file. Inlined, each kernel's code depends on that kernel alone.
     */
    @Override
    public String deviceFunctionPrefix() {
        return "__device__ __forceinline__ ";
    }

    @Override
    public String globalPointer(String elementType) {
        return elementType + "*";
    }

    @Override
    public String localPointer(String elementType) {
        return elementType + "*";
    }

    /** The driver's CUtensorMap, in parameter space, where cp.async.bulk.tensor reads it by its generic address. */
    @Override
    public String tensorMapParameter(String name) {
        return "const __grid_constant__ longnet_tensor_map " + name;
    }

    /** A reference to the kernel's parameter, so that the copies still read the map at its generic address in parameter space. */
    @Override
    public String helperTensorMapParameter(String name) {
        return "const longnet_tensor_map& " + name;
    }

    @Override
    public String tensorMapArgument(String name) {
        return name;
    }

    @Override
    public String halfStorageType() {
        return "unsigned short";
    }

    /**
     * Dynamic shared memory, sized at launch (KernelInfo.localBytes): static arrays may not pass 48 KB a
     * block. Each array starts on 16 bytes, as ldmatrix, wgmma and the 16-byte chunk copies need.
     */
    @Override
    public String localArray(String elementType, String name, int size, int offset) {
        return elementType + "* " + name + " = (" + elementType + "*) (longnet_local + " + offset + ")";
    }

    /** Dynamic shared memory too, after the constant-size arrays; the launch adds its bytes to the kernel's. */
    @Override
    public String sizedLocalPointer(String elementType, int ordinal, String offset) {
        return "(" + elementType + "*) (longnet_local + " + offset + ")";
    }

    @Override
    public String sizedLocalParameter(String elementType, int ordinal) {
        return null;
    }

    /** wgmma reads shared memory through the async proxy: on sm_90a the fenced barrier orders earlier stores for it. */
    @Override
    public String fencedForMatrixUnits(String function) {
        return function.replace(BARRIER, FENCED_BARRIER);
    }

    @Override
    public String groupBarrier() {
        return "__syncthreads()";
    }

    @Override
    public String workItem(WorkItem what, int dim) {
        String c = "xyz".substring(dim, dim + 1);
        return switch (what) {
            case GLOBAL_ID -> "((long long) blockIdx." + c + " * blockDim." + c + " + threadIdx." + c + ")";
            case LOCAL_ID -> "((long long) threadIdx." + c + ")";
            case GROUP_ID -> "((long long) blockIdx." + c + ")";
            case GLOBAL_SIZE -> "((long long) gridDim." + c + " * blockDim." + c + ")";
            case LOCAL_SIZE -> "((long long) blockDim." + c + ")";
        };
    }

    @Override
    public String type(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "long" -> "long long";
            case "boolean" -> "bool";
            case "byte" -> "signed char";
            case "char" -> "unsigned short";
            default -> javaPrimitive;
        };
    }

    @Override
    public String unsignedOf(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "long" -> "unsigned long long";
            case "short" -> "unsigned short";
            default -> "unsigned int";
        };
    }

    @Override
    public String floatRemainder(String type, String left, String right) {
        return (type.equals("float") ? "fmodf(" : "fmod(") + left + ", " + right + ")";
    }

    @Override
    public String saturatingCast(String from, String to, String expr) {
        String source = from.equals("float") ? "f" : "d";
        return to.equals("int") ? (source.equals("f") ? "__float2int_rz(" : "longnet_d2i(") + expr + ")" : "longnet_" + source + "2ll(" + expr + ")";
    }
}

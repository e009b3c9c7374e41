package org.longnet.engine.translator;

/** OpenCL C 1.2, the version every OpenCL driver we meet (PoCL, NVIDIA) accepts. */
final class OpenClDialect implements Dialect {
    private static final String RUNTIME = RuntimeFiles.load("longnet_runtime.cl");
    /** TensorMap.MAX_RANK: the dimensions whose numbers a map passes (the translator does not depend on the engine's API). */
    private static final int TENSOR_MAP_RANK = 5;

    @Override
    public String name() {
        return "cl";
    }

    @Override
    public String runtime() {
        return RUNTIME;
    }

    @Override
    public String spelling(Intrinsic intrinsic) {
        return intrinsic.openCl();
    }

    /** Launch bounds are a CUDA matter: OpenCL drivers size registers themselves. */
    @Override
    public String kernelSignature(String name, String params, int groupSize, int minGroups) {
        return "__kernel void " + name + "(" + params + ")";
    }

    @Override
    public String deviceFunctionPrefix() {
        return "";
    }

    @Override
    public String globalPointer(String elementType) {
        return "__global " + elementType + "*";
    }

    @Override
    public String localPointer(String elementType) {
        return "__local " + elementType + "*";
    }

    /**
     * The map's array and numbers, which LONGNET_TMA_MAP (longnet_tma.cl) passes on in this order: offset, sizes 0 to 4,
     * strides 1 to 4, box sides 0 to 4 (TensorMap's five dimensions, innermost first), swizzle bytes (KernelArguments.portable).
     */
    @Override
    public String tensorMapParameter(String name) {
        StringBuilder p = new StringBuilder("__global uchar* " + name + ", long " + name + "_offset");
        for (String numbers : new String[] {"long %s_size%d", "long %s_stride%d", "int %s_box%d"}) {
            for (int d = numbers.contains("stride") ? 1 : 0; d < TENSOR_MAP_RANK; d++) {
                p.append(", ").append(String.format(numbers, name, d));
            }
        }
        return p.append(", int ").append(name).append("_swizzle").toString();
    }

    /** The same parameters as a kernel's: the array and its numbers. */
    @Override
    public String helperTensorMapParameter(String name) {
        return tensorMapParameter(name);
    }

    @Override
    public String tensorMapArgument(String name) {
        return "LONGNET_TMA_MAP(" + name + ")";
    }

    @Override
    public String halfStorageType() {
        return "half";
    }

    @Override
    public String localArray(String elementType, String name, int size, int offset) {
        return "__local " + elementType + " " + name + "[" + size + "]";
    }

    /** A {@code __local} pointer argument, which the launch sizes (clSetKernelArg with no value). */
    @Override
    public String sizedLocalPointer(String elementType, int ordinal, String offset) {
        return "longnet_sized_local" + ordinal;
    }

    @Override
    public String sizedLocalParameter(String elementType, int ordinal) {
        return "__local " + elementType + "* longnet_sized_local" + ordinal;
    }

    /** OpenCL has no matrix units of its own: its warpgroup products are loops on local memory, which a barrier orders. */
    @Override
    public String fencedForMatrixUnits(String function) {
        return function;
    }

    @Override
    public String groupBarrier() {
        return "barrier(CLK_GLOBAL_MEM_FENCE)";
    }

    @Override
    public String workItem(WorkItem what, int dim) {
        String fn = switch (what) {
            case GLOBAL_ID -> "get_global_id";
            case LOCAL_ID -> "get_local_id";
            case GROUP_ID -> "get_group_id";
            case GLOBAL_SIZE -> "get_global_size";
            case LOCAL_SIZE -> "get_local_size";
        };
        return "((long) " + fn + "(" + dim + "))";
    }

    @Override
    public String type(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "boolean" -> "bool";
            case "byte" -> "char";
            case "char" -> "ushort";
            default -> javaPrimitive;
        };
    }

    @Override
    public String unsignedOf(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "long" -> "ulong";
            case "short" -> "ushort";
            default -> "uint";
        };
    }

    @Override
    public String floatRemainder(String type, String left, String right) {
        return "fmod(" + left + ", " + right + ")";
    }

    @Override
    public String saturatingCast(String from, String to, String expr) {
        boolean single = from.equals("float");
        return to.equals("int") ? (single ? "convert_int_sat_rtz(" : "longnet_d2i(") + expr + ")" : "longnet_" + (single ? "f" : "d") + "2l(" + expr + ")";
    }
}

package org.longnet.engine.translator;

/** OpenCL C 1.2, the version every OpenCL driver we meet (PoCL, NVIDIA) accepts. */
final class OpenClDialect implements Dialect {
    @Override
    public String name() {
        return "cl";
    }

    private static final String RUNTIME = RuntimeFiles.load("longnet_runtime.cl");

    @Override
    public String prelude() {
        return RUNTIME;
    }

    @Override
    public String kernelSignature(String name, String params) {
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
    public String halfStorageType() {
        return "half";
    }

    @Override
    public String localPointer(String elementType) {
        return "__local " + elementType + "*";
    }

    @Override
    public String localArray(String elementType, String name, int size, int offset) {
        return "__local " + elementType + " " + name + "[" + size + "]";
    }

    @Override
    public String barrier(boolean global, boolean forMatrixUnits) {
        return global ? "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)" : "barrier(CLK_LOCAL_MEM_FENCE)";
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
        return javaPrimitive.equals("boolean") ? "bool" : javaPrimitive;
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
    public String math(String function, String argType, String args) {
        boolean f32 = argType.equals("float");
        return switch (function) {
            case "exp", "log", "sin", "cos", "exp2" -> (f32 ? "native_" : "") + function + "(" + args + ")";
            case "fmod" -> "fmod(" + args + ")";
            case "sigmoid" -> f32 ? "native_recip(1.0f + native_exp(-(" + args + ")))" : "(1.0 / (1.0 + exp(-(" + args + "))))";
            case "sqrt", "rsqrt", "tanh", "pow", "floor", "ceil", "fma" -> function + "(" + args + ")";
            case "abs" -> argType.equals("int") ? "((int) abs(" + args + "))"
                    : argType.equals("long") ? "((long) abs(" + args + "))" : "fabs(" + args + ")";
            case "max", "min" -> (f32 || argType.equals("double") ? "f" : "") + function + "(" + args + ")";
            default -> throw new IllegalArgumentException(function);
        };
    }

    @Override
    public String floatFromBits(String intExpr) {
        return "as_float(" + intExpr + ")";
    }

    @Override
    public String bitsFromFloat(String floatExpr) {
        return "as_int(" + floatExpr + ")";
    }

    @Override
    public String halfLoad(String pointer, String index) {
        return "vload_half(" + index + ", " + pointer + ")";
    }

    @Override
    public String halfStore(String pointer, String index, String value) {
        return "vstore_half_rte(" + value + ", " + index + ", " + pointer + ")";
    }

    @Override
    public String mmaBf16Packed(String a, String lda, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed(" + a + ", " + lda + ", " + bt + ", " + ldbt + ", " + acc + ")";
    }

    @Override
    public String packBf16(String lo, String hi) {
        return "((int) ((uint) longnet_f2bf(" + lo + ") | ((uint) longnet_f2bf(" + hi + ") << 16)))";
    }

    @Override
    public String mmaBf16PackedA(String exchange, String a0, String a1, String a2, String a3, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed_a(" + exchange + ", " + a0 + ", " + a1 + ", " + a2 + ", " + a3 + ", " + bt + ", " + ldbt + ", "
                + acc + ")";
    }

    @Override
    public String loadBFragments(String tile, String ld, String regs) {
        return "longnet_load_b_fragments(" + tile + ", " + ld + ", " + regs + ")";
    }

    @Override
    public String mmaBf16Registers(String exchange, String a0, String a1, String a2, String a3, String b0, String b1, String acc) {
        return "longnet_mma_bf16_registers(" + String.join(", ", exchange, a0, a1, a2, a3, b0, b1, acc) + ")";
    }

    @Override
    public String shuffleXor(String exchange, String value, String laneMask) {
        return "longnet_shuffle_xor(" + exchange + ", " + value + ", " + laneMask + ")";
    }

    @Override
    public String mmaBf16(String a, String lda, String b, String bRowStride, String bColStride, String acc) {
        return "longnet_mma_bf16(" + a + ", " + lda + ", " + b + ", " + bRowStride + ", " + bColStride + ", " + acc + ")";
    }

    @Override
    public String saturatingCast(String from, String to, String expr) {
        return "convert_" + to + "_sat_rtz(" + expr + ")";
    }
}

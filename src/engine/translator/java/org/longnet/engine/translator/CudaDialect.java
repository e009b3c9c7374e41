package org.longnet.engine.translator;

/** CUDA C++ for NVRTC (and nvcc); needs no header, so it compiles without an include path. */
final class CudaDialect implements Dialect {
    @Override
    public String name() {
        return "cu";
    }

    private static final String RUNTIME = RuntimeFiles.load("longnet_runtime.cuh");

    @Override
    public String prelude() {
        return RUNTIME;
    }

    @Override
    public String waitChunks(int batches) {
        return "longnet_wait_chunk_batches<" + batches + ">()";
    }

    @Override
    public String commitChunks() {
        return "longnet_commit_chunks()";
    }

    @Override
    public String kernelSignature(String name, String params) {
        return "extern \"C\" __global__ void " + name + "(" + params + ")";
    }

    @Override
    public String kernelSignature(String name, String params, int groupSize, int minGroups) {
        if (groupSize <= 0) {
            return kernelSignature(name, params);
        }
        String bounds = "__launch_bounds__(" + groupSize + (minGroups > 0 ? ", " + minGroups : "") + ")";
        return "extern \"C\" __global__ void " + bounds + " " + name + "(" + params + ")";
    }

    /**
     * Kernel helpers are small and called from several kernels of one module; left to itself nvcc
     * sometimes keeps one as a real call, and which one changes with another kernel's launch bounds
     * (measured on the H200: the attention forward 34 -> 38 ms when dK/dV got bounds). Inlined, each
     * kernel's code depends on that kernel alone.
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
    public String halfStorageType() {
        return "unsigned short";
    }

    @Override
    public String localPointer(String elementType) {
        return elementType + "*";
    }

    @Override
    public String localArray(String elementType, String name, int size, int offset) {
        // Dynamic shared memory, sized at launch (KernelInfo.localBytes): static arrays may not pass 48 KB a block.
        // Each array starts on 16 bytes, as ldmatrix, wgmma and the 16-byte chunk copies need.
        return elementType + "* " + name + " = (" + elementType + "*) (longnet_local + " + offset + ")";
    }

    @Override
    public String barrier(boolean global, boolean forMatrixUnits) {
        return forMatrixUnits ? "longnet_barrier_for_matrix_units()" : "__syncthreads()";
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
    public String math(String function, String argType, String args) {
        boolean f32 = argType.equals("float");
        return switch (function) {
            case "exp", "log", "sin", "cos" -> (f32 ? "__" + function + "f" : function) + "(" + args + ")";
            case "exp2" -> (f32 ? "longnet_exp2" : "exp2") + "(" + args + ")";
            // __fdividef(1, inf) is 0: the far negative end stays finite.
            case "sigmoid" -> f32 ? "__fdividef(1.0f, 1.0f + __expf(-(" + args + ")))" : "(1.0 / (1.0 + exp(-(" + args + "))))";
            case "sqrt", "rsqrt", "tanh", "pow", "floor", "ceil", "fma", "fmod" -> function + (f32 ? "f" : "") + "(" + args + ")";
            case "abs" -> switch (argType) {
                case "int" -> "abs(" + args + ")";
                case "long" -> "llabs(" + args + ")";
                default -> "fabs" + (f32 ? "f" : "") + "(" + args + ")";
            };
            case "max", "min" -> switch (argType) {
                case "float" -> "f" + function + "f(" + args + ")";
                case "double" -> "f" + function + "(" + args + ")";
                case "long" -> "ll" + function + "(" + args + ")";
                default -> function + "(" + args + ")";
            };
            default -> throw new IllegalArgumentException(function);
        };
    }

    @Override
    public String floatFromBits(String intExpr) {
        return "__int_as_float(" + intExpr + ")";
    }

    @Override
    public String bitsFromFloat(String floatExpr) {
        return "__float_as_int(" + floatExpr + ")";
    }

    @Override
    public String halfLoad(String pointer, String index) {
        return "longnet_h2f(" + pointer + "[" + index + "])";
    }

    @Override
    public String halfStore(String pointer, String index, String value) {
        return pointer + "[" + index + "] = longnet_f2h(" + value + ")";
    }

    @Override
    public String mmaBf16Packed(String a, String lda, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed(" + a + ", " + lda + ", " + bt + ", " + ldbt + ", " + acc + ")";
    }

    @Override
    public String mmaBf16PackedA(String exchange, String a0, String a1, String a2, String a3, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed_a(" + a0 + ", " + a1 + ", " + a2 + ", " + a3 + ", " + bt + ", " + ldbt + ", " + acc + ")";
    }

    @Override
    public String loadBFragments(String tile, String ld, String regs) {
        return "longnet_load_b_fragments(" + tile + ", " + ld + ", " + regs + ")";
    }

    @Override
    public String mmaBf16Registers(String exchange, String a0, String a1, String a2, String a3, String b0, String b1, String acc) {
        return "longnet_mma_bf16_registers(" + String.join(", ", a0, a1, a2, a3, b0, b1, acc) + ")";
    }

    @Override
    public String shuffleXor(String exchange, String value, String laneMask) {
        return "__shfl_xor_sync(0xFFFFFFFFu, " + value + ", " + laneMask + ")";
    }

    @Override
    public String packBf16(String lo, String hi) {
        return "((int) longnet_bf16x2(" + lo + ", " + hi + "))";
    }

    @Override
    public String mmaBf16(String a, String lda, String b, String bRowStride, String bColStride, String acc) {
        return "longnet_mma_bf16(" + a + ", " + lda + ", " + b + ", " + bRowStride + ", " + bColStride + ", " + acc + ")";
    }

    @Override
    public String saturatingCast(String from, String to, String expr) {
        String f = from.equals("float") ? "float" : "double";
        String t = to.equals("int") ? "int" : "ll";
        return "__" + f + "2" + t + "_rz(" + expr + ")";
    }
}

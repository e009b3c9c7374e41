package org.longnet.engine.translator;

/** CUDA C++ for NVRTC (and nvcc); needs no header, so it compiles without an include path. */
final class CudaDialect implements Dialect {
    @Override
    public String name() {
        return "cu";
    }

    @Override
    public String prelude() {
        return """
                __device__ __forceinline__ float longnet_bf2f(unsigned short b) { return __int_as_float(((unsigned int) b) << 16); }
                __device__ __forceinline__ unsigned short longnet_f2bf(float f) {
                    if (f != f) return (unsigned short) 0x7FC0;
                    unsigned int u = __float_as_uint(f);
                    u += 0x7FFFu + ((u >> 16) & 1u);
                    return (unsigned short) (u >> 16);
                }
                __device__ __forceinline__ float longnet_h2f(unsigned short h) {
                    float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f;
                }
                __device__ __forceinline__ unsigned short longnet_f2h(float f) {
                    unsigned short h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h;
                }
                """;
    }

    @Override
    public String kernelSignature(String name, String params) {
        return "extern \"C\" __global__ void " + name + "(" + params + ")";
    }

    @Override
    public String deviceFunctionPrefix() {
        return "__device__ ";
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
    public String localArray(String elementType, String name, int size) {
        return "__shared__ " + elementType + " " + name + "[" + size + "]";
    }

    @Override
    public String barrier(boolean global) {
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
    public String saturatingCast(String from, String to, String expr) {
        String f = from.equals("float") ? "float" : "double";
        String t = to.equals("int") ? "int" : "ll";
        return "__" + f + "2" + t + "_rz(" + expr + ")";
    }
}

package org.longnet.engine.translator;

/**
 * What differs between OpenCL C and CUDA C outside the intrinsics (which {@link Intrinsics} spells
 * for both): the runtime at the top of each file, declarations, types and a few operators. The
 * translator writes one body for both; every spelling that is not plain C comes from here.
 */
interface Dialect {
    /** File extension, also the dialect's name in the generated files. */
    String name();

    /** The device runtime that every generated file of this dialect starts with. */
    String runtime();

    /** How this dialect spells an intrinsic. */
    String spelling(Intrinsic intrinsic);

    /** A kernel's signature; {@code groupSize} and {@code minGroups} are the {@code @Kernel} settings (0: not given). */
    String kernelSignature(String name, String params, int groupSize, int minGroups);

    /** What precedes a device function's return type. */
    String deviceFunctionPrefix();

    /** A pointer parameter to global memory of the given element type. */
    String globalPointer(String elementType);

    /** The type of a device function's parameter that receives a work-group local array. */
    String localPointer(String elementType);

    /** The C type of a 16-bit fp16 element in global memory. */
    String halfStorageType();

    /** The kernel parameters that bring a {@code TensorMap} named {@code name}, as the devices pass it (KernelArguments.Tensor). */
    String tensorMapParameter(String name);

    /** A kernel's own helper's parameter for the {@code TensorMap} {@code name}, which {@link #tensorMapArgument} passes on. */
    String helperTensorMapParameter(String name);

    /** The {@code TensorMap} parameter {@code name} (a kernel's or a helper's) passed on to a helper. */
    String tensorMapArgument(String name);

    /** A work-group local array of {@code size} elements, {@code offset} bytes into the kernel's local memory (16-byte aligned). */
    String localArray(String elementType, String name, int size, int offset);

    /**
     * Where the {@code ordinal}-th work-group local array whose length is a kernel's int parameter ({@link MethodScope.SizedLocal})
     * starts, a pointer: {@code offset} (a C expression) bytes into the kernel's local memory, after its constant-size arrays.
     */
    String sizedLocalPointer(String elementType, int ordinal, String offset);

    /** The kernel parameter that brings that array, where the launch gives it as an argument (OpenCL's {@code __local}); else null. */
    String sizedLocalParameter(String elementType, int ordinal);

    /**
     * A function's C with its barriers made to order the local memory that matrix units read on their
     * own (warpgroup products): every barrier is spelled as {@code KernelContext.localBarrier}'s
     * intrinsic, and in a function that a kernel with such products reaches it must also fence earlier
     * stores for them.
     */
    String fencedForMatrixUnits(String function);

    /** A 64-bit expression for one of the work-item builtins, dim 0..2. */
    String workItem(WorkItem what, int dim);

    /** A barrier of the work-group that also orders its global-memory writes before the reads and atomics after it. */
    String groupBarrier();

    /** The C type for a Java primitive ({@code long} differs). */
    String type(String javaPrimitive);

    String unsignedOf(String javaPrimitive);

    /** Java's {@code %} on floats or doubles. */
    String floatRemainder(String type, String left, String right);

    /** Java's saturating, NaN-to-zero conversion of a float or double to int or long. */
    String saturatingCast(String fromPrimitive, String toPrimitive, String expr);

    enum WorkItem { GLOBAL_ID, LOCAL_ID, GROUP_ID, GLOBAL_SIZE, LOCAL_SIZE }
}

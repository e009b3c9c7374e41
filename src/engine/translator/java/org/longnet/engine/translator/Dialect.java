package org.longnet.engine.translator;

/**
 * What differs between OpenCL C and CUDA C. The translator writes one body for both; every
 * spelling that is not plain C comes from here.
 */
interface Dialect {
    /** File extension and name used in messages. */
    String name();

    String prelude();

    String kernelSignature(String name, String params);

    /** {@link #kernelSignature} for a kernel whose launches all use {@code groupSize} work-items, {@code minGroups} per compute unit. */
    default String kernelSignature(String name, String params, int groupSize, int minGroups) {
        return kernelSignature(name, params);
    }

    String deviceFunctionPrefix();

    /** A pointer parameter to global memory of the given element type. */
    String globalPointer(String elementType);

    /** The C type of a 16-bit fp16 element in global memory. */
    String halfStorageType();

    /** A work-group local array of {@code size} elements, {@code offset} bytes into the kernel's local memory (16-byte aligned). */
    String localArray(String elementType, String name, int size, int offset);

    /** The type of a device function's parameter that receives a work-group local array. */
    String localPointer(String elementType);

    /**
     * A work-group barrier; {@code forMatrixUnits} when the kernel's matrix products read local memory
     * directly (warpgroup products), whose reads the barrier must then order after earlier stores too.
     */
    String barrier(boolean global, boolean forMatrixUnits);

    /** A 64-bit expression for one of the work-item builtins, dim 0..2. */
    String workItem(WorkItem what, int dim);

    /** The C type for a Java primitive ({@code long} differs). */
    String type(String javaPrimitive);

    String unsignedOf(String javaPrimitive);

    /** A call of a {@code KernelMath} function, chosen by name and argument type. */
    String math(String function, String argType, String args);

    String floatFromBits(String intExpr);

    String bitsFromFloat(String floatExpr);

    String halfLoad(String pointer, String index);

    String halfStore(String pointer, String index, String value);

    /** Java's saturating, NaN-to-zero conversion of a float or double to int or long. */
    String saturatingCast(String fromPrimitive, String toPrimitive, String expr);

    /**
     * {@code KernelContext.mmaBf16}: {@code a} and {@code b} are local-memory tiles (with offsets
     * already added), B[k][col] is {@code b[k * bRowStride + col * bColStride]}, {@code acc} this
     * work-item's private accumulators.
     */
    String mmaBf16(String a, String lda, String b, String bRowStride, String bColStride, String acc);

    /** {@code KernelContext.mmaBf16Packed}: int tiles of bf16 pairs along k, B given transposed. */
    String mmaBf16Packed(String a, String lda, String bt, String ldbt, String acc);

    /** {@code KernelContext.packBf16}: an int expression. */
    /** {@code KernelContext.mmaBf16PackedA}: A from four packed registers; {@code exchange} is the local array emulations use. */
    String mmaBf16PackedA(String exchange, String a0, String a1, String a2, String a3, String bt, String ldbt, String acc);

    /** {@code KernelContext.loadBFragments}: {@code tile} points at the 32 x 8 B tile (local), {@code regs} at four private ints. */
    String loadBFragments(String tile, String ld, String regs);

    /** {@code KernelContext.mmaBf16Registers}: A and B from registers; {@code exchange} is the local array emulations use. */
    String mmaBf16Registers(String exchange, String a0, String a1, String a2, String a3, String b0, String b1, String acc);

    /**
     * {@code KernelContext.loadChunk} (or loadChunkAsync): {@code src} points at the 8 bf16 values
     * (global), {@code tile} at the 4 ints (local). The warpgroup intrinsics below are calls of the same name on every device;
     * each dialect's prelude says what they do there.
     */
    default String loadChunk(String src, String tile, String present, boolean async) {
        return "longnet_load_chunk" + (async ? "_async(" : "(") + src + ", " + tile + ", " + present + ")";
    }

    /** {@code KernelContext.waitChunks}. */
    default String waitChunks() {
        return "longnet_wait_chunks()";
    }

    /** {@code KernelContext.waitChunks(batches)}: nothing to wait for where copies are plain. */
    default String waitChunks(int batches) {
        return "(void) 0";
    }

    /** {@code KernelContext.commitChunks}: nothing to commit where copies are plain. */
    default String commitChunks() {
        return "(void) 0";
    }

    /** {@code KernelContext.mmaBf16Warpgroup}: {@code a}, {@code b} local tiles in chunk layout, {@code acc} private floats. */
    default String mmaBf16Warpgroup(String a, String aRow, String b, String bRow, String n, String acc, String accumulate) {
        return "longnet_mma_warpgroup(" + String.join(", ", a, aRow, b, bRow, n, acc, accumulate) + ")";
    }

    /** {@code KernelContext.mmaBf16WarpgroupTransposedA}: both tiles' rows are the k dimension; B's columns start at channel {@code bChannel}. */
    default String mmaBf16WarpgroupTransposedA(String a, String aRow, String b, String bRow, String bChannel, String n, String acc,
                                               String accumulate) {
        return "longnet_mma_warpgroup_transposed_a(" + String.join(", ", a, aRow, b, bRow, bChannel, n, acc, accumulate) + ")";
    }

    /** {@code KernelContext.mmaBf16WarpgroupRegisters}: {@code aRegs} eight private ints; {@code exchange} is what emulations use. */
    default String mmaBf16WarpgroupRegisters(String exchange, String aRegs, String b, String bRow, String acc) {
        return "longnet_mma_warpgroup_registers(" + String.join(", ", exchange, aRegs, b, bRow, acc) + ")";
    }

    /** {@code KernelContext.mmaBf16WarpgroupPair}: two products of n columns. */
    default String mmaBf16WarpgroupPair(String a1, String aRow1, String b1, String bRow1, String acc1, String a2, String aRow2, String b2,
                                        String bRow2, String acc2, String n, String accumulate) {
        return "longnet_mma_warpgroup_pair(" + String.join(", ", a1, aRow1, b1, bRow1, acc1, a2, aRow2, b2, bRow2, acc2, n, accumulate) + ")";
    }

    /** {@code KernelContext.mmaBf16WarpgroupRegistersPair}: two products with A in registers. */
    default String mmaBf16WarpgroupRegistersPair(String exchange, String aRegs1, String b1, String bRow1, String acc1, String aRegs2,
                                                 String b2, String bRow2, String acc2) {
        return "longnet_mma_warpgroup_registers_pair(" + String.join(", ", exchange, aRegs1, b1, bRow1, acc1, aRegs2, b2, bRow2, acc2) + ")";
    }

    /** {@code KernelContext.shuffleXor}: the value of lane ^ laneMask; {@code exchange} is the local array emulations use. */
    String shuffleXor(String exchange, String value, String laneMask);

    String packBf16(String lo, String hi);

    enum WorkItem { GLOBAL_ID, LOCAL_ID, GROUP_ID, GLOBAL_SIZE, LOCAL_SIZE }
}

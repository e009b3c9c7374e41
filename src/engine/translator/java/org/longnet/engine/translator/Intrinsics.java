package org.longnet.engine.translator;

import javax.lang.model.element.ExecutableElement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.longnet.engine.translator.Intrinsic.Effect.BARRIER;
import static org.longnet.engine.translator.Intrinsic.Effect.MATRIX_UNITS;

/**
 * Every intrinsic, one row each: the Java method (its class and signature), its OpenCL C and its
 * CUDA C. Adding one is: the Java method (its body is the jvm device's implementation), a row here,
 * and the runtime functions it calls in {@code longnet_runtime.cl} and {@code longnet_runtime.cuh}.
 */
final class Intrinsics {
    private static final String CONTEXT = "KernelContext", MATH = "KernelMath";
    private static final String CLUSTERS = ClusterKernels.CLUSTERS, WARPGROUPS = ClusterKernels.WARPGROUPS;
    /** A peer group's element on OpenCL, where a cluster's local arrays are slices of one (ClusteredOpenCl). */
    private static final String CLUSTER_PEER = "longnet_peer_{tile}[({rank}) * longnet_slice_{tile} + ({index})]";

    static final List<Intrinsic> TABLE = List.of(
            // KernelContext: barriers
            row(CONTEXT, "localBarrier()", "barrier(CLK_LOCAL_MEM_FENCE)", "__syncthreads()", BARRIER),
            // KernelContext: atomic sums, as TornadoVM's kernels write them
            row(CONTEXT, "atomicAdd(IntArray array, long index, int value)", "atomic_add({array} + ({index}), {value})",
                    "atomicAdd({array} + ({index}), {value})"),
            both(CONTEXT, "atomicAdd(FloatArray array, long index, float value)", "longnet_atomic_add({array} + ({index}), {value})"),
            // 64-bit sums by compare-and-swap, the @Reduce combiners' (OpenCL 1.2 has only cl_khr_int64_base_atomics' exchange)
            both(CONTEXT, "atomicAdd(LongArray array, long index, long value)", "longnet_reduce_add_long({array} + ({index}), {value})"),
            both(CONTEXT, "atomicAdd(DoubleArray array, long index, double value)", "longnet_reduce_add_double({array} + ({index}), {value})"),
            // a Java int[] (a kernel's global array, or a local one): both devices' atomic adds take either memory
            row(CONTEXT, "atomicAdd(int[] array, long index, int value)", "atomic_add({array} + ({index}), {value})",
                    "atomicAdd({array} + ({index}), {value})"),
            row(CONTEXT, "globalBarrier()", "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)", "__syncthreads()", BARRIER),
            // KernelContext: warp matrix products on local tiles
            both(CONTEXT, "mmaBf16(local float[] a, int aOffset, int lda, local float[] b, int bOffset, int ldb, private float[4] acc, int accOffset)",
                    "longnet_mma_bf16(({a} + {aOffset}), {lda}, ({b} + {bOffset}), {ldb}, 1, ({acc} + {accOffset}))"),
            both(CONTEXT, "mmaBf16TransposedB(local float[] a, int aOffset, int lda, local float[] bt, int btOffset, int ldbt, "
                            + "private float[4] acc, int accOffset)",
                    "longnet_mma_bf16(({a} + {aOffset}), {lda}, ({bt} + {btOffset}), 1, {ldbt}, ({acc} + {accOffset}))"),
            row(CONTEXT, "packBf16(float lo, float hi)",
                    "((int) ((uint) longnet_f2bf({lo}) | ((uint) longnet_f2bf({hi}) << 16)))", "((int) longnet_bf16x2({lo}, {hi}))"),
            both(CONTEXT, "mmaBf16Packed(local int[] a, int aOffset, int lda, local int[] bt, int btOffset, int ldbt, private float[] acc, int accOffset)",
                    "longnet_mma_bf16_packed(({a} + {aOffset}), {lda}, ({bt} + {btOffset}), {ldbt}, ({acc} + {accOffset}))"),
            // KernelContext: warp matrix products from registers (CUDA's mma.sync takes them as they are; elsewhere they meet in exchange)
            row(CONTEXT, "mmaBf16PackedA(local int[] exchange, int a0, int a1, int a2, int a3, local int[] bt, int btOffset, int ldbt, "
                            + "private float[] acc, int accOffset)",
                    "longnet_mma_bf16_packed_a({exchange}, {a0}, {a1}, {a2}, {a3}, ({bt} + {btOffset}), {ldbt}, ({acc} + {accOffset}))",
                    "longnet_mma_bf16_packed_a({a0}, {a1}, {a2}, {a3}, ({bt} + {btOffset}), {ldbt}, ({acc} + {accOffset}))", BARRIER),
            both(CONTEXT, "loadBFragments(local int[] tile, int offset, int ld, private int[] regs, int regsOffset)",
                    "longnet_load_b_fragments(({tile} + {offset}), {ld}, ({regs} + {regsOffset}))"),
            row(CONTEXT, "mmaBf16Registers(local int[] exchange, int a0, int a1, int a2, int a3, int b0, int b1, private float[] acc, int accOffset)",
                    "longnet_mma_bf16_registers({exchange}, {a0}, {a1}, {a2}, {a3}, {b0}, {b1}, ({acc} + {accOffset}))",
                    "longnet_mma_bf16_registers({a0}, {a1}, {a2}, {a3}, {b0}, {b1}, ({acc} + {accOffset}))", BARRIER),
            row(CONTEXT, "shuffleXor(local float[] exchange, float value, int laneMask)",
                    "longnet_shuffle_xor({exchange}, {value}, {laneMask})", "__shfl_xor_sync(0xFFFFFFFFu, {value}, {laneMask})", BARRIER),
            // KernelContext: TornadoVM's SIMD-group operations (SimdGroups.java spells them: on OpenCL the kernel declares the scratch)
            row(CONTEXT, "simdSum(float value)", "longnet_simd_sum(longnet_simd_scratch, {value})", "longnet_simd_sum({value})", BARRIER),
            row(CONTEXT, "simdShuffleDown(float value, int delta)", "longnet_simd_shuffle_down(longnet_simd_scratch, {value}, {delta})",
                    "longnet_simd_shuffle_down({value}, {delta})", BARRIER),
            row(CONTEXT, "simdBroadcastFirst(float value)", "longnet_simd_broadcast_first(longnet_simd_scratch, {value})",
                    "longnet_simd_broadcast_first({value})", BARRIER),
            // KernelContext: tiles in chunk layout and the warpgroup products on them
            both(CONTEXT, "chunkLayoutIndex(int row, int pair)", "longnet_chunk({row}, {pair})"),
            both(CONTEXT, "loadChunk(BFloat16Array src, long srcIndex, local int[] tile, int tileIndex, boolean present)",
                    "longnet_load_chunk(({src} + ({srcIndex})), ({tile} + {tileIndex}), {present})"),
            both(CONTEXT, "loadChunkAsync(BFloat16Array src, long srcIndex, local int[] tile, int tileIndex, boolean present)",
                    "longnet_load_chunk_async(({src} + ({srcIndex})), ({tile} + {tileIndex}), {present})"),
            both(CONTEXT, "waitChunks()", "longnet_wait_chunks()"),
            row(CONTEXT, "waitChunks(literal int batches)", "(void) 0", "longnet_wait_chunk_batches<{batches}>()"),
            row(CONTEXT, "commitChunks()", "(void) 0", "longnet_commit_chunks()"),
            both(CONTEXT, "mmaBf16Warpgroup(local int[] a, int aRow, local int[] b, int bRow, int n, private float[] acc, boolean accumulate)",
                    "longnet_mma_warpgroup({a}, {aRow}, {b}, {bRow}, {n}, {acc}, {accumulate})", MATRIX_UNITS),
            both(CONTEXT, "mmaBf16WarpgroupTransposedA(local int[] a, int aRow, local int[] b, int bRow, int bChannel, int n, private float[] acc, "
                            + "boolean accumulate)",
                    "longnet_mma_warpgroup_transposed_a({a}, {aRow}, {b}, {bRow}, {bChannel}, {n}, {acc}, {accumulate})", MATRIX_UNITS),
            both(CONTEXT, "mmaBf16WarpgroupRegisters(local int[] exchange, private int[] aRegs, local int[] b, int bRow, private float[] acc)",
                    "longnet_mma_warpgroup_registers({exchange}, {aRegs}, {b}, {bRow}, {acc})", BARRIER, MATRIX_UNITS),
            both(CONTEXT, "mmaBf16WarpgroupPair(local int[] a1, int aRow1, local int[] b1, int bRow1, private float[] acc1, local int[] a2, int aRow2, "
                            + "local int[] b2, int bRow2, private float[] acc2, int n, boolean accumulate)",
                    "longnet_mma_warpgroup_pair({a1}, {aRow1}, {b1}, {bRow1}, {acc1}, {a2}, {aRow2}, {b2}, {bRow2}, {acc2}, {n}, {accumulate})",
                    MATRIX_UNITS),
            both(CONTEXT, "mmaBf16WarpgroupRegistersPair(local int[] exchange, private int[] aRegs1, local int[] b1, int bRow1, private float[] acc1, "
                            + "private int[] aRegs2, local int[] b2, int bRow2, private float[] acc2)",
                    "longnet_mma_warpgroup_registers_pair({exchange}, {aRegs1}, {b1}, {bRow1}, {acc1}, {aRegs2}, {b2}, {bRow2}, {acc2})",
                    BARRIER, MATRIX_UNITS),
            // WarpgroupMma: the warpgroup products issued and waited for apart (wgmma on sm_90a; elsewhere at issue)
            row("WarpgroupMma", "issue(KernelContext ctx, local int[] a, int aRow, local int[] b, int bRow, int n, private float[] acc, "
                            + "boolean accumulate)", "longnet_mma_warpgroup({a}, {aRow}, {b}, {bRow}, {n}, {acc}, {accumulate})",
                    "longnet_mma_warpgroup_issue({a}, {aRow}, {b}, {bRow}, {n}, {acc}, {accumulate})", MATRIX_UNITS),
            row("WarpgroupMma", "issueRegisters(KernelContext ctx, local int[] exchange, private int[] aRegs, local int[] b, int bRow, "
                            + "private float[] acc)", "longnet_mma_warpgroup_registers({exchange}, {aRegs}, {b}, {bRow}, {acc})",
                    "longnet_mma_warpgroup_registers_issue({aRegs}, {b}, {bRow}, {acc})", BARRIER, MATRIX_UNITS),
            both("WarpgroupMma", "swizzledIndex(int row, int pair)", "longnet_swizzled({row}, {pair})"),
            row("WarpgroupMma", "issueSwizzled(KernelContext ctx, local int[] a, int aRow, local int[] b, int bRow, int n, private float[] acc, "
                            + "boolean accumulate)", "longnet_mma_warpgroup_swizzled({a}, {aRow}, {b}, {bRow}, {n}, {acc}, {accumulate})",
                    "longnet_mma_warpgroup_swizzled_issue({a}, {aRow}, {b}, {bRow}, {n}, {acc}, {accumulate})", MATRIX_UNITS),
            row("WarpgroupMma", "issueRegistersSwizzled(KernelContext ctx, local int[] exchange, private int[] aRegs, local int[] b, int bRow, "
                            + "private float[] acc)", "longnet_mma_warpgroup_registers_swizzled({exchange}, {aRegs}, {b}, {bRow}, {acc})",
                    "longnet_mma_warpgroup_registers_swizzled_issue({aRegs}, {b}, {bRow}, {acc})", BARRIER, MATRIX_UNITS),
            row("WarpgroupMma", "issueSwizzledFromRegisters(KernelContext ctx, local int[] exchange, private int[] aRegs, local int[] b, int bRow, "
                            + "int n, private float[] acc, boolean accumulate)",
                    "longnet_mma_warpgroup_swizzled_from_registers({exchange}, {aRegs}, {b}, {bRow}, {n}, {acc}, {accumulate})",
                    "longnet_mma_warpgroup_swizzled_from_registers_issue({aRegs}, {b}, {bRow}, {n}, {acc}, {accumulate})", BARRIER, MATRIX_UNITS),
            row("WarpgroupMma", "issueTransposedSwizzled(KernelContext ctx, local int[] a, int aRow, local int[] b, int bRow, int bChannel, int n, "
                            + "private float[] acc, boolean accumulate)",
                    "longnet_mma_warpgroup_transposed_swizzled({a}, {aRow}, {b}, {bRow}, {bChannel}, {n}, {acc}, {accumulate})",
                    "longnet_mma_warpgroup_transposed_swizzled_issue({a}, {aRow}, {b}, {bRow}, {bChannel}, {n}, {acc}, {accumulate})", MATRIX_UNITS),
            row("WarpgroupMma", "wait(KernelContext ctx, literal int pending, private float[] acc)", "(void) 0",
                    "longnet_mma_warpgroup_wait<{pending}>({acc})"),
            // Clusters and Warpgroups: thread-block clusters and warp specialization (ClusterKernels checks their calls)
            row(CLUSTERS, "rank(KernelContext ctx)", "longnet_cluster_rank(LONGNET_CLUSTER_SIZE)", "longnet_cluster_rank()"),
            row(CLUSTERS, "size(KernelContext ctx)", "LONGNET_CLUSTER_SIZE", "longnet_cluster_size()"),
            row(CLUSTERS, "id(KernelContext ctx)", "((int) get_group_id(0))", "longnet_cluster_id()"),
            row(CLUSTERS, "barrier(KernelContext ctx)", "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)", "longnet_cluster_barrier()", BARRIER),
            row(CLUSTERS, "load(KernelContext ctx, local float[] tile, int rank, int index)", CLUSTER_PEER,
                    "longnet_cluster_load({tile}, {rank}, {index})"),
            row(CLUSTERS, "load(KernelContext ctx, local int[] tile, int rank, int index)", CLUSTER_PEER,
                    "longnet_cluster_load({tile}, {rank}, {index})"),
            row(CLUSTERS, "store(KernelContext ctx, local float[] tile, int rank, int index, float value)", "(" + CLUSTER_PEER + " = {value})",
                    "longnet_cluster_store({tile}, {rank}, {index}, {value})"),
            row(CLUSTERS, "store(KernelContext ctx, local int[] tile, int rank, int index, int value)", "(" + CLUSTER_PEER + " = {value})",
                    "longnet_cluster_store({tile}, {rank}, {index}, {value})"),
            row(WARPGROUPS, "index(KernelContext ctx)", "((int) (longnet_block_local_id(LONGNET_CLUSTER_SIZE) / 128))", "longnet_warpgroup_index()"),
            row(WARPGROUPS, "thread(KernelContext ctx)", "((int) (longnet_block_local_id(LONGNET_CLUSTER_SIZE) % 128))", "((int) (threadIdx.x % 128))"),
            row(WARPGROUPS, "increaseRegisters(KernelContext ctx, literal int count)", "(void) 0", "longnet_increase_registers<{count}>()"),
            row(WARPGROUPS, "decreaseRegisters(KernelContext ctx, literal int count)", "(void) 0", "longnet_decrease_registers<{count}>()"),
            // Mbarriers and Tma: Hopper's barriers with phases and tensor copies (longnet_tma.cuh, longnet_tma.cl)
            both("Mbarriers", "init(KernelContext context, local long[] barriers, int index, int arrivals)",
                    "longnet_mbarrier_init({barriers}, {index}, {arrivals})", BARRIER),
            both("Mbarriers", "arrive(KernelContext context, local long[] barriers, int index)", "longnet_mbarrier_arrive({barriers}, {index})"),
            both("Mbarriers", "arriveExpectTx(KernelContext context, local long[] barriers, int index, int bytes)",
                    "longnet_mbarrier_arrive_expect_tx({barriers}, {index}, {bytes})"),
            both("Mbarriers", "wait(KernelContext context, local long[] barriers, int index, int parity)",
                    "longnet_mbarrier_wait({barriers}, {index}, {parity})", BARRIER),
            both("Mbarriers", "waitBeforeCopy(KernelContext context, local long[] barriers, int index, int parity)",
                    "longnet_mbarrier_wait_before_copy({barriers}, {index}, {parity})", BARRIER),
            row("Tma", "load(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int row, int column, local long[] barriers, "
                            + "int barrier)", "longnet_tma_load_2d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {row}, {column})",
                    "longnet_tma_load_2d(&{map}, {tile} + ({tileOffset}), {row}, {column}, {barriers}, {barrier})"),
            row("Tma", "load(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int row, int column, local long[] barriers, "
                            + "int barrier)", "longnet_tma_load_2d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {row}, {column})",
                    "longnet_tma_load_2d(&{map}, {tile} + ({tileOffset}), {row}, {column}, {barriers}, {barrier})"),
            row("Tma", "store(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int row, int column)",
                    "longnet_tma_store_2d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {row}, {column})",
                    "longnet_tma_store_2d(&{map}, {tile} + ({tileOffset}), {row}, {column})", BARRIER),
            row("Tma", "store(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int row, int column)",
                    "longnet_tma_store_2d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {row}, {column})",
                    "longnet_tma_store_2d(&{map}, {tile} + ({tileOffset}), {row}, {column})", BARRIER),
            row("Tma", "load(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int d3, int d2, int d1, int d0, "
                            + "local long[] barriers, int barrier)",
                    "longnet_tma_load_4d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_load_4d(&{map}, {tile} + ({tileOffset}), {d3}, {d2}, {d1}, {d0}, {barriers}, {barrier})"),
            row("Tma", "load(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int d3, int d2, int d1, int d0, "
                            + "local long[] barriers, int barrier)",
                    "longnet_tma_load_4d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_load_4d(&{map}, {tile} + ({tileOffset}), {d3}, {d2}, {d1}, {d0}, {barriers}, {barrier})"),
            row("Tma", "store(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int d3, int d2, int d1, int d0)",
                    "longnet_tma_store_4d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_store_4d(&{map}, {tile} + ({tileOffset}), {d3}, {d2}, {d1}, {d0})", BARRIER),
            row("Tma", "store(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int d3, int d2, int d1, int d0)",
                    "longnet_tma_store_4d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_store_4d(&{map}, {tile} + ({tileOffset}), {d3}, {d2}, {d1}, {d0})", BARRIER),
            row("Tma", "load(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0, "
                            + "local long[] barriers, int barrier)",
                    "longnet_tma_load_5d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {d4}, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_load_5d(&{map}, {tile} + ({tileOffset}), {d4}, {d3}, {d2}, {d1}, {d0}, {barriers}, {barrier})"),
            row("Tma", "load(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0, "
                            + "local long[] barriers, int barrier)",
                    "longnet_tma_load_5d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {d4}, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_load_5d(&{map}, {tile} + ({tileOffset}), {d4}, {d3}, {d2}, {d1}, {d0}, {barriers}, {barrier})"),
            row("Tma", "store(KernelContext context, TensorMap map, local float[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0)",
                    "longnet_tma_store_5d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 4, {d4}, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_store_5d(&{map}, {tile} + ({tileOffset}), {d4}, {d3}, {d2}, {d1}, {d0})", BARRIER),
            row("Tma", "store(KernelContext context, TensorMap map, local int[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0)",
                    "longnet_tma_store_5d(LONGNET_TMA_MAP({map}), {tile} + ({tileOffset}), 2, {d4}, {d3}, {d2}, {d1}, {d0})",
                    "longnet_tma_store_5d(&{map}, {tile} + ({tileOffset}), {d4}, {d3}, {d2}, {d1}, {d0})", BARRIER),
            both("Tma", "waitStores(KernelContext context)", "longnet_tma_wait_stores()", BARRIER),
            // arrays: element access (a kernel's 16-bit arrays hold 16-bit words; fp16 and bf16 convert in registers)
            both("DeviceArray", "getSize()", "{array}_len"),
            both("FloatArray", "get(long index)", "{array}[{index}]"),
            both("FloatArray", "set(long index, float value)", "({array}[{index}] = {value})"),
            both("IntArray", "get(long index)", "{array}[{index}]"),
            both("IntArray", "set(long index, int value)", "({array}[{index}] = {value})"),
            row("HalfFloatArray", "get(long index)", "vload_half({index}, {array})", "longnet_h2f({array}[{index}])"),
            row("HalfFloatArray", "set(long index, float value)", "(vstore_half_rte({value}, {index}, {array}))", "({array}[{index}] = longnet_f2h({value}))"),
            both("BFloat16Array", "get(long index)", "longnet_bf2f({array}[{index}])"),
            both("BFloat16Array", "set(long index, float value)", "({array}[{index}] = longnet_f2bf({value}))"),
            both("BFloat16Array", "getBits(long index)", "((int) {array}[{index}])"),
            row("BFloat16Array", "getPair(long index)", "(*(__global const int*) ({array} + ({index})))", "(*(const int*) ({array} + ({index})))"),
            // arrays: stores of two neighbours at once, and atomic sums
            both("BFloat16Array", "setPair(long index, float first, float second)", "longnet_set_pair_bf16({array} + ({index}), {first}, {second})"),
            both("FloatArray", "setPair(long index, float first, float second)", "longnet_set_pair({array} + ({index}), {first}, {second})"),
            both("FloatArray", "scaleAddPair(long index, float scale, float first, float second)",
                    "longnet_scale_add_pair({array} + ({index}), {scale}, {first}, {second})"),
            both("FloatArray", "atomicAdd(long index, float value)", "longnet_atomic_add({array} + ({index}), {value})"),
            row("IntArray", "atomicAdd(long index, int value)", "atomic_add({array} + ({index}), {value})", "atomicAdd({array} + ({index}), {value})"),
            both("FloatArray", "atomicAddPair(long index, float first, float second)", "longnet_atomic_add_pair({array} + ({index}), {first}, {second})"),
            // arrays of the other element types: plain element access
            both("DoubleArray", "get(long index)", "{array}[{index}]"),
            both("DoubleArray", "set(long index, double value)", "({array}[{index}] = {value})"),
            both("LongArray", "get(long index)", "{array}[{index}]"),
            both("LongArray", "set(long index, long value)", "({array}[{index}] = {value})"),
            both("ShortArray", "get(long index)", "{array}[{index}]"),
            both("ShortArray", "set(long index, short value)", "({array}[{index}] = {value})"),
            both("ByteArray", "get(long index)", "{array}[{index}]"),
            both("ByteArray", "set(long index, byte value)", "({array}[{index}] = {value})"),
            both("CharArray", "get(long index)", "{array}[{index}]"),
            both("CharArray", "set(long index, char value)", "({array}[{index}] = {value})"),
            // KernelMath: floats map to each device's fast builtins
            row(MATH, "exp(float x)", "native_exp({x})", "__expf({x})"),
            row(MATH, "log(float x)", "native_log({x})", "__logf({x})"),
            row(MATH, "exp2(float x)", "native_exp2({x})", "longnet_exp2({x})"),
            row(MATH, "sqrt(float x)", "sqrt({x})", "sqrtf({x})"),
            row(MATH, "rsqrt(float x)", "rsqrt({x})", "rsqrtf({x})"),
            row(MATH, "tanh(float x)", "tanh({x})", "tanhf({x})"),
            // __fdividef(1, inf) is 0: the far negative end stays finite
            row(MATH, "sigmoid(float x)", "native_recip(1.0f + native_exp(-({x})))", "__fdividef(1.0f, 1.0f + __expf(-({x})))"),
            row(MATH, "sin(float x)", "native_sin({x})", "__sinf({x})"),
            row(MATH, "cos(float x)", "native_cos({x})", "__cosf({x})"),
            row(MATH, "pow(float x, float y)", "pow({x}, {y})", "powf({x}, {y})"),
            row(MATH, "floor(float x)", "floor({x})", "floorf({x})"),
            row(MATH, "ceil(float x)", "ceil({x})", "ceilf({x})"),
            row(MATH, "abs(float x)", "fabs({x})", "fabsf({x})"),
            row(MATH, "max(float a, float b)", "fmax({a}, {b})", "fmaxf({a}, {b})"),
            row(MATH, "min(float a, float b)", "fmin({a}, {b})", "fminf({a}, {b})"),
            row(MATH, "fma(float a, float b, float c)", "fma({a}, {b}, {c})", "fmaf({a}, {b}, {c})"),
            both(MATH, "max(int a, int b)", "max({a}, {b})"),
            both(MATH, "min(int a, int b)", "min({a}, {b})"),
            // Java's abs(MIN_VALUE) is MIN_VALUE; C's abs leaves it undefined, and PoCL folds on that
            both(MATH, "abs(int a)", "longnet_abs_int({a})"),
            row(MATH, "max(long a, long b)", "max({a}, {b})", "llmax({a}, {b})"),
            row(MATH, "min(long a, long b)", "min({a}, {b})", "llmin({a}, {b})"),
            both(MATH, "exp(double x)", "exp({x})"),
            both(MATH, "log(double x)", "log({x})"),
            both(MATH, "sqrt(double x)", "sqrt({x})"),
            both(MATH, "abs(double x)", "fabs({x})"),
            both(MATH, "max(double a, double b)", "fmax({a}, {b})"),
            both(MATH, "min(double a, double b)", "fmin({a}, {b})"),
            row(MATH, "tan(float x)", "tan({x})", "tanf({x})"),
            row(MATH, "atan(float x)", "atan({x})", "atanf({x})"),
            row(MATH, "atan2(float y, float x)", "atan2({y}, {x})", "atan2f({y}, {x})"),
            row(MATH, "asin(float x)", "asin({x})", "asinf({x})"),
            row(MATH, "acos(float x)", "acos({x})", "acosf({x})"),
            row(MATH, "log2(float x)", "log2({x})", "log2f({x})"),
            row(MATH, "fract(float x)", "(({x}) - floor({x}))", "(({x}) - floorf({x}))"),
            row(MATH, "clamp(float x, float lo, float hi)", "fmin(fmax({x}, {lo}), {hi})", "fminf(fmaxf({x}, {lo}), {hi})"),
            row(MATH, "toRadians(float degrees)", "radians({degrees})", "(({degrees}) * 0.017453292519943295f)"),
            both(MATH, "clamp(int x, int lo, int hi)", "min(max({x}, {lo}), {hi})"),
            both(MATH, "abs(long a)", "longnet_abs_long({a})"),
            both(MATH, "sin(double x)", "sin({x})"),
            both(MATH, "cos(double x)", "cos({x})"),
            both(MATH, "tan(double x)", "tan({x})"),
            both(MATH, "atan(double x)", "atan({x})"),
            both(MATH, "atan2(double y, double x)", "atan2({y}, {x})"),
            both(MATH, "tanh(double x)", "tanh({x})"),
            both(MATH, "pow(double x, double y)", "pow({x}, {y})"),
            both(MATH, "floor(double x)", "floor({x})"),
            both(MATH, "ceil(double x)", "ceil({x})"),
            both(MATH, "fma(double a, double b, double c)", "fma({a}, {b}, {c})"),
            both(MATH, "clamp(double x, double lo, double hi)", "fmin(fmax({x}, {lo}), {hi})"),
            row(MATH, "sinpi(float x)", "sinpi({x})", "sinpif({x})"),
            row(MATH, "cospi(float x)", "cospi({x})", "cospif({x})"),
            row(MATH, "asinh(float x)", "asinh({x})", "asinhf({x})"),
            row(MATH, "acosh(float x)", "acosh({x})", "acoshf({x})"),
            both(MATH, "signum(float x)", "longnet_signum({x})"),
            both(MATH, "signum(double x)", "longnet_signum_double({x})"),
            both(MATH, "asin(double x)", "asin({x})"),
            both(MATH, "acos(double x)", "acos({x})"),
            both(MATH, "sinpi(double x)", "sinpi({x})"),
            both(MATH, "cospi(double x)", "cospi({x})"),
            both(MATH, "asinh(double x)", "asinh({x})"),
            both(MATH, "acosh(double x)", "acosh({x})"),
            both(MATH, "log2(double x)", "log2({x})"),
            both(MATH, "fract(double x)", "(({x}) - floor({x}))"),
            // Java's Math.toRadians multiplies by this double
            both(MATH, "toRadians(double degrees)", "(({degrees}) * 0.017453292519943295)"),
            row(MATH, "clamp(long x, long lo, long hi)", "min(max({x}, {lo}), {hi})", "llmin(llmax({x}, {lo}), {hi})"),
            both(MATH, "PI()", "3.141592653589793"),
            both(MATH, "floatPI()", "3.1415927f"),
            both(MATH, "sinh(double x)", "sinh({x})"),
            both(MATH, "cosh(double x)", "cosh({x})"),
            both(MATH, "log10(double x)", "log10({x})"),
            both(MATH, "cbrt(double x)", "cbrt({x})"),
            both(MATH, "hypot(double x, double y)", "hypot({x}, {y})"),
            both(MATH, "expm1(double x)", "expm1({x})"),
            both(MATH, "log1p(double x)", "log1p({x})"),
            row(MATH, "floatToIntBits(float x)", "as_int({x})", "__float_as_int({x})"),
            row(MATH, "intBitsToFloat(int bits)", "as_float({bits})", "__int_as_float({bits})"));

    private static final Map<String, Intrinsic> BY_KEY = TABLE.stream().collect(Collectors.toMap(Intrinsic::key, Function.identity()));

    private Intrinsics() {
    }

    /**
     * The intrinsic a call resolves to, or null. A method of a view ({@code @KernelView}, {@code java.lang.Math})
     * that has no row of its own is the engine type's method of the same name whose parameters match,
     * an {@code int} standing for a {@code long} (TornadoVM's {@code get(int)} is {@code FloatArray.get(long)});
     * an array's {@code getSize()} is {@code DeviceArray}'s.
     */
    static Intrinsic find(ExecutableElement method) {
        String owner = JavaTypes.ownerName(method);
        if (!owner.startsWith(JavaTypes.API)) {
            return null;
        }
        String name = method.getSimpleName().toString();
        List<String> types = method.getParameters().stream().map(p -> JavaTypes.name(p.asType()).replace(JavaTypes.API, "")).toList();
        Intrinsic exact = BY_KEY.get(Intrinsic.key(JavaTypes.simple(owner), name, types));
        if (exact != null || !JavaTypes.isView((javax.lang.model.element.TypeElement) method.getEnclosingElement())) {
            return exact;
        }
        List<String> owners = JavaTypes.isArray(owner) ? List.of(JavaTypes.simple(owner), "DeviceArray") : List.of(JavaTypes.simple(owner));
        List<Intrinsic> matches = TABLE.stream().filter(i -> owners.contains(i.owner()) && i.name().equals(name) && widens(types, i)).toList();
        return matches.size() == 1 ? matches.get(0) : null;
    }

    /**
     * Whether arguments of {@code types} fit the intrinsic's parameters, an int widening to a long, and a byte or short to
     * an int (TornadoVM's {@code TornadoMath.max(byte, byte)} is {@code KernelMath.max(int, int)}, its result narrowed back).
     */
    private static boolean widens(List<String> types, Intrinsic intrinsic) {
        if (types.size() != intrinsic.params().size()) {
            return false;
        }
        for (int i = 0; i < types.size(); i++) {
            String want = intrinsic.params().get(i).type();
            boolean widened = types.get(i).equals("int") && want.equals("long")
                    || (types.get(i).equals("byte") || types.get(i).equals("short")) && want.equals("int");
            if (!types.get(i).equals(want) && !widened) {
                return false;
            }
        }
        return true;
    }

    /** A float with the given bits ({@code 0x7fc00000}): how NaN and infinite constants are written. */
    static String floatFromBits(Dialect d, String bits) {
        return Intrinsic.fill(d.spelling(BY_KEY.get("KernelMath.intBitsToFloat(int)")), Map.of("bits", bits));
    }

    /** The intrinsic {@code key} ({@code KernelMath.max(float,float)}) spelled for {@code d} with these arguments, in order. */
    static String spell(Dialect d, String key, String... arguments) {
        Intrinsic intrinsic = BY_KEY.get(key);
        Map<String, String> named = new java.util.HashMap<>();
        for (int i = 0; i < arguments.length; i++) {
            named.put(intrinsic.params().get(i).name(), arguments[i]);
        }
        return Intrinsic.fill(d.spelling(intrinsic), named);
    }

    /** The methods of {@code owner} (a simple name) that kernels may call, for messages. */
    static List<String> methodsOf(String... owners) {
        List<String> owned = List.of(owners);
        return TABLE.stream().filter(i -> owned.contains(i.owner())).map(Intrinsic::name).distinct().toList();
    }

    private static Intrinsic row(String owner, String signature, String openCl, String cuda, Intrinsic.Effect... effects) {
        return Intrinsic.of(owner, signature, openCl, cuda, effects);
    }

    /** A row whose spelling is the same C on both devices. */
    private static Intrinsic both(String owner, String signature, String spelling, Intrinsic.Effect... effects) {
        return Intrinsic.of(owner, signature, spelling, spelling, effects);
    }
}

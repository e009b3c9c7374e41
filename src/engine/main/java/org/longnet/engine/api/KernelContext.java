package org.longnet.engine.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a work-item knows about itself, for kernels that manage their own work-groups
 * (TornadoVM's names). On a device each field reads the hardware id; on the JVM the runtime
 * fills them in per work-item, and {@link #localBarrier()} waits for the whole group.
 * Sizes are rounded up to a multiple of the work-group size, so a kernel guards its own tail.
 */
public class KernelContext {
    public int globalIdx, globalIdy, globalIdz;
    public int localIdx, localIdy, localIdz;
    public int groupIdx, groupIdy, groupIdz;
    public int globalGroupSizeX, globalGroupSizeY, globalGroupSizeZ;
    public int localGroupSizeX, localGroupSizeY, localGroupSizeZ;

    private final GroupMemory group;
    private int allocations;
    private SimdLanes simdLanes;

    /**
     * The placeholder a task passes where the kernel takes its context, as in TornadoVM:
     * {@code graph.task("t", K::reduce, new KernelContext(), x, sums)}. The device fills in the real one.
     */
    public KernelContext() {
        this(null);
    }

    /**
     * Used by the runtime to run work-items on the JVM. A subclass that kernels take instead (another API's
     * context) declares a constructor with this one parameter, through which the runtime makes its work-items.
     */
    protected KernelContext(GroupMemory group) {
        this.group = group;
    }

    private GroupMemory group() {
        if (group == null) {
            throw new IllegalStateException("this KernelContext is a placeholder: barriers and local memory work only when the "
                    + "kernel runs as a task of a task graph");
        }
        return group;
    }

    /** Waits until every work-item of the group reaches this point; local memory is then consistent. */
    public void localBarrier() {
        group().await();
    }

    /** A barrier over the work-group that also orders global memory (not a grid-wide barrier). */
    public void globalBarrier() {
        group().await();
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public float[] allocateFloatLocalArray(int size) {
        return (float[]) group().localArray(allocations++, () -> new float[size]);
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public int[] allocateIntLocalArray(int size) {
        return (int[]) group().localArray(allocations++, () -> new int[size]);
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public double[] allocateDoubleLocalArray(int size) {
        return (double[]) group().localArray(allocations++, () -> new double[size]);
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public long[] allocateLongLocalArray(int size) {
        return (long[]) group().localArray(allocations++, () -> new long[size]);
    }

    /** Memory shared by the work-group; {@code size} must be a compile-time constant. */
    public byte[] allocateByteLocalArray(int size) {
        return (byte[]) group().localArray(allocations++, () -> new byte[size]);
    }

    /**
     * Memory shared by the work-group, of a type this class does not know: for a subclass's own allocate methods (another
     * API's element types), which count among the work-item's allocations as the ones here do.
     */
    protected final Object allocateLocalArray(java.util.function.Supplier<Object> create) {
        return group().localArray(allocations++, create);
    }

    /** {@link IntArray#atomicAdd}, as TornadoVM's kernels call it, on their context. */
    public void atomicAdd(IntArray array, long index, int value) {
        array.atomicAdd(index, value);
    }

    /** {@link FloatArray#atomicAdd}, as TornadoVM's kernels call it, on their context. */
    public void atomicAdd(FloatArray array, long index, float value) {
        array.atomicAdd(index, value);
    }

    /** {@link LongArray#atomicAdd}, as TornadoVM's kernels call it, on their context. */
    public void atomicAdd(LongArray array, long index, long value) {
        array.atomicAdd(index, value);
    }

    /** {@link DoubleArray#atomicAdd}, as TornadoVM's kernels call it, on their context. */
    public void atomicAdd(DoubleArray array, long index, double value) {
        array.atomicAdd(index, value);
    }

    private static final VarHandle INT_ELEMENT = MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * Adds {@code value} to {@code array[index]} atomically (wrapping), for a kernel's Java {@code int[]} parameter (global
     * memory) or an int local array: work-items adding to one element all count.
     */
    public void atomicAdd(int[] array, long index, int value) {
        INT_ELEMENT.getAndAdd(array, Math.toIntExact(index), value);
    }

    /** Rows and columns of the {@link #mmaBf16} tile: C (16 x 8) += A (16 x 16) B (16 x 8). */
    public static final int MMA_M = 16, MMA_N = 8, MMA_K = 16;

    /**
     * Warp-level matrix multiply-accumulate with bf16 inputs and fp32 accumulation, on tiles in
     * work-group local memory: C (16 x 8) += A (16 x 16) x B (16 x 8), where A is row-major at
     * {@code a[aOffset + row * lda + k]} and B row-major at {@code b[bOffset + k * ldb + col]};
     * A and B are rounded to bf16 first (round to nearest even). The 32 work-items of a warp
     * (consecutive {@code localIdx}, 1-dimensional work-groups) call it together, and each holds
     * four elements of C at {@code acc[accOffset..accOffset+3]}: with lane = localIdx % 32,
     * g = lane / 4, t = lane % 4, they are C[g][2t], C[g][2t+1], C[g+8][2t], C[g+8][2t+1].
     * On CUDA it is one tensor-core {@code mma.sync.m16n8k16} instruction; elsewhere plain loops
     * that round the same way (sums may differ in the last bits: the order of additions differs).
     */
    public void mmaBf16(float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float[] acc, int accOffset) {
        mma((row, k) -> bf16(a[aOffset + row * lda + k]), (k, col) -> bf16(b[bOffset + k * ldb + col]), acc, accOffset);
    }

    /**
     * {@link #mmaBf16} with B given transposed: B[k][col] = {@code bt[btOffset + col * ldbt + k]}.
     * That is how keys are stored for Q·K^T (one row per key), so they need no transposed copy.
     */
    public void mmaBf16TransposedB(float[] a, int aOffset, int lda, float[] bt, int btOffset, int ldbt, float[] acc, int accOffset) {
        mma((row, k) -> bf16(a[aOffset + row * lda + k]), (k, col) -> bf16(bt[btOffset + col * ldbt + k]), acc, accOffset);
    }

    /**
     * Two floats rounded to bf16 (nearest even) and packed into one int, {@code lo} in the low 16
     * bits: the element pairs that {@link #mmaBf16Packed} reads. Rounding once when a tile is
     * loaded, instead of at every multiply, is what makes packed tiles fast.
     */
    public int packBf16(float lo, float hi) {
        return (BFloat16Array.fromFloat(lo) & 0xFFFF) | (BFloat16Array.fromFloat(hi) << 16);
    }

    /**
     * {@link #mmaBf16} on tiles already rounded to bf16 and packed in pairs along k by
     * {@link #packBf16}: A[row][k] is half {@code k & 1} of {@code a[aOffset + row * lda + k / 2]},
     * and B is given transposed, B[k][col] being half {@code k & 1} of
     * {@code bt[btOffset + col * ldbt + k / 2]} ({@code lda}, {@code ldbt} and the offsets count
     * ints). On CUDA each fragment register is then one 32-bit local-memory read, with no rounding;
     * a row stride of 4 more than a multiple of 32 ints lets a warp read without bank conflicts.
     */
    public void mmaBf16Packed(int[] a, int aOffset, int lda, int[] bt, int btOffset, int ldbt, float[] acc, int accOffset) {
        mma((row, k) -> unpackBf16(a[aOffset + row * lda + k / 2], k), (k, col) -> unpackBf16(bt[btOffset + col * ldbt + k / 2], k),
                acc, accOffset);
    }

    /**
     * {@link #mmaBf16Packed} with A in registers: the four A fragment registers of this work-item as
     * {@code mma.sync} lays them out, each a pair made by {@link #packBf16} (lane = localIdx % 32,
     * g = lane / 4, t = lane % 4): {@code a0} = A[g][2t, 2t+1], {@code a1} = A[g+8][2t, 2t+1],
     * {@code a2} = A[g][2t+8, 2t+9], {@code a3} = A[g+8][2t+8, 2t+9]. These are exactly the pairs that
     * two neighbouring accumulator tiles hold (C of columns 0-7 and of 8-15), so probabilities go from
     * Q·K^T's accumulators into P·V without a trip through local memory, as FlashAttention-2 does.
     * On CUDA it is one {@code mma.sync}; elsewhere as {@link #mmaBf16Registers}, whose {@code exchange}
     * (at least 6 ints per work-item of the group) it takes, so every work-item of the group must call
     * it together (like {@link #localBarrier}).
     */
    public void mmaBf16PackedA(int[] exchange, int a0, int a1, int a2, int a3, int[] bt, int btOffset, int ldbt, float[] acc,
                               int accOffset) {
        int at = btOffset + ((localIdx & 31) >> 2) * ldbt + (localIdx & 3);
        mmaBf16Registers(exchange, a0, a1, a2, a3, bt[at], bt[at + 4], acc, accOffset);
    }

    /**
     * This work-item's B fragment registers for two {@link #mmaBf16Registers} steps along k, from a
     * 32 x 8 tile of B (k x n) stored row-major with pairs along n: B[k][n] is half {@code n & 1} of
     * {@code tile[offset + k * ld + n / 2]}. That is how a row tile of V, dO, Q or K lies in local
     * memory when its rows are the k dimension of a product (P·V, dS·K, P^T·dO, dS^T·Q), so no
     * transposed copy is needed. With lane = localIdx % 32, g = lane / 4, t = lane % 4:
     * {@code regs[regsOffset + 2c]} = B[16c + 2t, 16c + 2t + 1][g] and {@code regs[regsOffset + 2c + 1]}
     * = B[16c + 2t + 8, 16c + 2t + 9][g] for c = 0, 1 (each a pair as {@link #packBf16} makes it).
     * On CUDA one {@code ldmatrix.x4.trans} for the warp (each row must start on 16 bytes: {@code ld}
     * and {@code offset} multiples of 4); elsewhere plain reads. The 32 work-items of a warp call it together.
     */
    public void loadBFragments(int[] tile, int offset, int ld, int[] regs, int regsOffset) {
        int lane = localIdx & 31;
        int g = lane >> 2;
        int t = lane & 3;
        for (int i = 0; i < 4; i++) {
            int k = 8 * i + 2 * t;
            int lo = halfBits(tile[offset + k * ld + g / 2], g);
            int hi = halfBits(tile[offset + (k + 1) * ld + g / 2], g);
            regs[regsOffset + i] = lo | hi << 16;
        }
    }

    /**
     * {@link #mmaBf16Packed} with both operands in registers: A as for {@link #mmaBf16PackedA}, B as
     * {@link #loadBFragments} gives it ({@code b0} = B[2t, 2t+1][g], {@code b1} = B[2t+8, 2t+9][g]).
     * On CUDA one {@code mma.sync}; elsewhere the warp's registers are put together into its A and B
     * tiles in {@code exchange} (at least 6 ints per work-item of the group) between two barriers, so
     * every work-item of the group must call it together (like {@link #localBarrier}).
     */
    public void mmaBf16Registers(int[] exchange, int a0, int a1, int a2, int a3, int b0, int b1, float[] acc, int accOffset) {
        int tile = (localIdx & ~31) * 6;
        int lane = localIdx & 31;
        int top = tile + (lane >> 2) * 8 + (lane & 3);
        exchange[top] = a0;
        exchange[top + 64] = a1;
        exchange[top + 4] = a2;
        exchange[top + 68] = a3;
        exchange[top + 128] = b0;
        exchange[top + 132] = b1;
        localBarrier();
        mmaBf16Packed(exchange, tile, 8, exchange, tile + 128, 8, acc, accOffset);
        localBarrier();
    }

    /**
     * Butterfly exchange within a warp: the {@code value} of the work-item whose lane is this one's
     * lane XOR {@code laneMask} (0 &lt; laneMask &lt; 32). With masks 1 and 2 the four work-items that hold
     * one row of an accumulator tile agree on its maximum or sum. On CUDA one {@code shfl.sync.bfly};
     * elsewhere the values meet in {@code exchange}, a local array of at least one float per
     * work-item of the group, between two barriers, so every work-item of the group must call it
     * together (like {@link #localBarrier}).
     */
    public float shuffleXor(float[] exchange, float value, int laneMask) {
        exchange[localIdx] = value;
        localBarrier();
        float other = exchange[localIdx ^ laneMask];
        localBarrier();
        return other;
    }

    /**
     * TornadoVM's SIMD-group sum: the sum of {@code value} over this work-item's SIMD group, given to each of its lanes. A
     * SIMD group is 32 work-items of consecutive linear local ids (a CUDA warp); the last one of a work-group whose size
     * is no multiple of 32 has fewer lanes. Every lane gets the same float, summed in the order of a shuffle-down tree
     * on every device. Every work-item of the work-group must call it together, as with {@link #localBarrier}
     * ({@link SimdLanes}).
     */
    public float simdSum(float value) {
        return simdLanes().sum(value);
    }

    /** The {@code value} of the lane {@code delta} above this one in its SIMD group ({@link #simdSum}); its own where there is none. */
    public float simdShuffleDown(float value, int delta) {
        return simdLanes().shuffleDown(value, delta);
    }

    /** The {@code value} of lane 0 of this work-item's SIMD group ({@link #simdSum}). */
    public float simdBroadcastFirst(float value) {
        return simdLanes().broadcastFirst(value);
    }

    private SimdLanes simdLanes() {
        if (simdLanes == null) {
            simdLanes = new SimdLanes(this, (float[]) allocateLocalArray(() -> SimdLanes.scratchFor(this)));
        }
        return simdLanes;
    }

    /** Rows of A and C in the warpgroup products; channels (bf16) per row of their tiles. */
    public static final int WARPGROUP_ROWS = 64, TILE_CHANNELS = 64;

    /**
     * Where channel pair {@code pair} (0..31) of row {@code row} lies, in ints, in a tile in
     * <em>chunk layout</em>: the layout the warpgroup products read. A row's 64 bf16 channels are
     * 8 chunks of 16 bytes; the chunks of 8 consecutive rows with the same channels form one
     * 128-byte block (rows one after another), and blocks go chunk by chunk, then by groups of 8
     * rows. Tensor cores read such a tile either way round, rows as the n or as the k dimension of a
     * product, so no tile is ever transposed. {@link #loadChunk} fills it.
     */
    public static int chunkLayoutIndex(int row, int pair) {
        return (row >> 3) * 256 + (pair >> 2) * 32 + (row & 7) * 4 + (pair & 3);
    }

    /**
     * Copies 8 bf16 values, {@code src[srcIndex .. srcIndex + 7]} (srcIndex a multiple of 8), into
     * the 4 ints {@code tile[tileIndex .. tileIndex + 3]} of a local array (tileIndex a multiple of
     * 4), or zeros there when {@code present} is false (src is then not read). Chunk i of a tile in
     * chunk layout ({@link #chunkLayoutIndex}) starts at int 4i and is chunk (i / 8) % 8 of row
     * (i / 64) * 8 + i % 8, so work-items that copy consecutive chunks write consecutive memory.
     * On CUDA one 16-byte load and store (in a kernel with warpgroup products, each barrier also fences
     * earlier stores for the tensor cores, which read local memory on their own).
     */
    public void loadChunk(BFloat16Array src, long srcIndex, int[] tile, int tileIndex, boolean present) {
        for (int i = 0; i < 4; i++) {
            tile[tileIndex + i] = present ? src.getPair(srcIndex + 2L * i) : 0;
        }
    }

    /**
     * {@link #loadChunk} that does not wait for the copy: on CUDA (sm_80 and later) a {@code cp.async}
     * that runs while the work-item goes on computing, so a kernel can fetch its next tile during the
     * products of this one. The chunk is in local memory once this work-item has called
     * {@link #waitChunks}, and for the others after a barrier that follows. Elsewhere a plain copy.
     */
    public void loadChunkAsync(BFloat16Array src, long srcIndex, int[] tile, int tileIndex, boolean present) {
        loadChunk(src, srcIndex, tile, tileIndex, present);
    }

    /** Waits until this work-item's {@link #loadChunkAsync} copies have landed (a barrier then publishes them). */
    public void waitChunks() {
    }

    /**
     * Closes a batch: the {@link #loadChunkAsync} copies this work-item started since the last
     * commit, so that {@link #waitChunks(int)} can wait for it while later batches still run. An
     * empty batch counts too: a kernel that commits once per step keeps its count regular. On CUDA
     * {@code cp.async.commit_group}; elsewhere nothing.
     */
    public void commitChunks() {
    }

    /**
     * Waits until at most {@code batches} (a literal) of this work-item's most recently committed
     * batches are still being copied: every older one has landed. A kernel that fetches tiles two
     * steps ahead waits with 1, so the next tile's copy goes on during this step. On CUDA
     * {@code cp.async.wait_group}; elsewhere nothing.
     */
    public void waitChunks(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("waitChunks: batches must be >= 0, was " + batches);
        }
    }

    /**
     * Warpgroup matrix multiply-accumulate, bf16 in, fp32 accumulation: C (64 x n) += A B^T, where
     * A is rows {@code aRow .. aRow + 63} and B rows {@code bRow .. bRow + n - 1} of tiles in chunk
     * layout ({@link #chunkLayoutIndex}; aRow and bRow multiples of 8), over all 64 channels: as Q·K^T
     * multiplies queries by keys. The 128 work-items of a warpgroup (localIdx / 128 alike) call it
     * together; warp w of the four holds rows 16w .. 16w + 15 of C, each work-item (lane = localIdx % 32,
     * g = lane / 4, t = lane % 4) the elements that {@link #mmaBf16} gives it for n-tile i = 0 .. n/8 - 1
     * at {@code acc[4i .. 4i + 3]}: C[16w + g][8i + 2t, 8i + 2t + 1], C[16w + g + 8][8i + 2t, 8i + 2t + 1].
     * {@code n} is 32 or 64. With {@code accumulate} false, C = A B^T: what acc held is ignored, so it
     * needs no zeroing. On CUDA sm_90a four {@code wgmma.mma_async} instructions read the tiles
     * straight from local memory; on other CUDA GPUs {@code mma.sync}, elsewhere plain loops.
     */
    public void mmaBf16Warpgroup(int[] a, int aRow, int[] b, int bRow, int n, float[] acc, boolean accumulate) {
        checkWarpgroupN(n);
        WarpgroupTiles.product(localIdx, a, aRow, b, bRow, n, acc, accumulate, KernelContext::chunkLayoutIndex);
    }

    /**
     * Warpgroup matrix multiply-accumulate with A in registers: C (64 x 64) += A (64 x 32) B (32 x 64),
     * where B is rows {@code bRow .. bRow + 31} of a tile in chunk layout (bRow a multiple of 8), its
     * rows the k dimension and its channels the n dimension: as P·V multiplies probabilities by values.
     * A is given as this work-item's 8 registers {@code aRegs[0 .. 7]}: for each warp, the A fragments
     * of {@link #mmaBf16PackedA} for k = 0..15 (aRegs[0..3]) and k = 16..31 (aRegs[4..7]), made by
     * {@link #packBf16} straight from accumulators. C as for {@link #mmaBf16Warpgroup} with n = 64.
     * On CUDA sm_90a two {@code wgmma.mma_async} instructions; on other CUDA GPUs {@code mma.sync};
     * elsewhere the warp's registers meet in {@code exchange} (at least 8 ints per work-item of the
     * group) between two barriers, so every work-item of the group must call it together.
     */
    public void mmaBf16WarpgroupRegisters(int[] exchange, int[] aRegs, int[] b, int bRow, float[] acc) {
        WarpgroupTiles.registersProduct(this, exchange, aRegs, b, bRow, acc, KernelContext::chunkLayoutIndex);
    }

    /**
     * Warpgroup matrix multiply-accumulate with both tiles read rows as the k dimension: C (64 x n)
     * += A^T B, where A is rows {@code aRow .. aRow + 63} of a tile in chunk layout, its 64 channels
     * C's rows, and B rows {@code bRow .. bRow + 63} of another, its channels {@code bChannel ..
     * bChannel + n - 1} C's columns (aRow, bRow and bChannel multiples of 8, bChannel + n at most 64):
     * as dQ = dS K multiplies queries by keys' channels over the keys, with dS^T and K stored with a
     * key per row. C's fragments, n and {@code accumulate} as for {@link #mmaBf16Warpgroup}. On
     * CUDA sm_90a four {@code wgmma.mma_async} with both operands transposed; on other CUDA GPUs
     * {@code mma.sync}; elsewhere plain loops.
     */
    public void mmaBf16WarpgroupTransposedA(int[] a, int aRow, int[] b, int bRow, int bChannel, int n, float[] acc, boolean accumulate) {
        checkTransposedA("mmaBf16WarpgroupTransposedA", aRow, bChannel, n);
        WarpgroupTiles.transposedProduct(localIdx, a, aRow, b, bRow, bChannel, n, acc, accumulate, KernelContext::chunkLayoutIndex);
    }

    /**
     * Refuses, naming {@code method}, an A row that is not a multiple of 8 (a chunk layout's row group, where the descriptor of
     * sm_90a starts), or a B channel that is not a multiple of 8 or that leaves fewer than n channels.
     */
    static void checkTransposedA(String method, int aRow, int bChannel, int n) {
        checkWarpgroupN(n);
        if (aRow % 8 != 0) {
            throw new IllegalArgumentException(method + ": aRow must be a multiple of 8, was " + aRow);
        }
        if (bChannel < 0 || bChannel % 8 != 0 || bChannel + n > TILE_CHANNELS) {
            throw new IllegalArgumentException(method + ": bChannel must be a multiple of 8 with bChannel + n <= " + TILE_CHANNELS + ", was "
                    + bChannel + " (n " + n + ")");
        }
    }

    /**
     * Two independent {@link #mmaBf16Warpgroup} products with the same n, as S = Q·K^T and dP = dO·V^T
     * in attention's backward: the same results, but on CUDA sm_90a the tensor cores run both before
     * the one wait for them.
     */
    public void mmaBf16WarpgroupPair(int[] a1, int aRow1, int[] b1, int bRow1, float[] acc1, int[] a2, int aRow2, int[] b2, int bRow2,
                                     float[] acc2, int n, boolean accumulate) {
        mmaBf16Warpgroup(a1, aRow1, b1, bRow1, n, acc1, accumulate);
        mmaBf16Warpgroup(a2, aRow2, b2, bRow2, n, acc2, accumulate);
    }

    /** Two independent {@link #mmaBf16WarpgroupRegisters} products (one wait on CUDA sm_90a), as dV += P^T·dO and dK += dS^T·Q. */
    public void mmaBf16WarpgroupRegistersPair(int[] exchange, int[] aRegs1, int[] b1, int bRow1, float[] acc1, int[] aRegs2, int[] b2,
                                              int bRow2, float[] acc2) {
        mmaBf16WarpgroupRegisters(exchange, aRegs1, b1, bRow1, acc1);
        mmaBf16WarpgroupRegisters(exchange, aRegs2, b2, bRow2, acc2);
    }

    static void checkWarpgroupN(int n) {
        if (n != 32 && n != 64) {
            throw new IllegalArgumentException("mmaBf16Warpgroup: n must be 32 or 64, was " + n);
        }
    }

    /** The 16 bits of element {@code k & 1} of a pair made by {@link #packBf16}. */
    private static int halfBits(int pair, int k) {
        return (k & 1) == 0 ? pair & 0xFFFF : pair >>> 16;
    }

    /** Element {@code k & 1} of a pair made by {@link #packBf16}. */
    static float unpackBf16(int pair, int k) {
        return BFloat16Array.toFloat((short) halfBits(pair, k));
    }

    /** An element of a tile, already rounded to bf16: A[row][k] or B[k][col]. */
    private interface TileElement {
        float at(int i, int j);
    }

    /** This work-item's share of C (16 x 8) += A (16 x 16) B (16 x 8): the four elements {@link #mmaBf16} gives it. */
    private void mma(TileElement a, TileElement b, float[] acc, int accOffset) {
        int lane = localIdx & 31;
        int g = lane >> 2;
        int t = lane & 3;
        for (int i = 0; i < 4; i++) {
            int row = g + (i >= 2 ? 8 : 0);
            int col = 2 * t + (i & 1);
            float sum = 0f;
            for (int k = 0; k < MMA_K; k++) {
                sum += a.at(row, k) * b.at(k, col);
            }
            acc[accOffset + i] += sum;
        }
    }

    private static float bf16(float x) {
        return BFloat16Array.toFloat(BFloat16Array.fromFloat(x));
    }

    /** Called by the runtime before a work-item starts. */
    protected void resetAllocations() {
        allocations = 0;
        simdLanes = null;
    }

    /** The state one work-group shares on the JVM: its barrier and its local arrays. */
    public interface GroupMemory {
        void await();

        Object localArray(int ordinal, java.util.function.Supplier<Object> create);
    }
}

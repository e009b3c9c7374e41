package org.longnet.engine.api;

/**
 * Asynchronous warpgroup products: {@link KernelContext#mmaBf16Warpgroup} and {@link KernelContext#mmaBf16WarpgroupRegisters}
 * split into an issue that starts the product and a {@link #wait} that waits for it, so that a warpgroup can compute (a
 * softmax, say) while its tensor cores work: FlashAttention-3's intra-warpgroup pipelining. The operands, fragments and
 * results are those of the synchronous methods, and the same 128 work-items call issue and wait together.
 * <p>
 * Each issue is one group of products; groups complete in the order they were issued, and {@code wait(ctx, pending, acc)}
 * returns once at most {@code pending} (a literal) of this warpgroup's most recently issued groups are still running: with
 * pending 0 every one has completed, with pending 1 all but the last. The contract between an issue and the wait that
 * covers it: the kernel does not read or write that product's accumulators, does not change its A registers (the
 * {@code aRegs} of {@link #issueRegisters}), and no work-item of the group writes the local-memory rows the product
 * reads. {@code acc} in the wait is the array whose values the kernel reads next: on CUDA the wait fences each of its
 * elements so that the compiler cannot move a read of it above the wait (a product's other accumulators are fenced by
 * their own wait, before they are read).
 * <p>
 * On CUDA sm_90a issue is {@code wgmma.fence}, the {@code wgmma.mma_async} steps and {@code wgmma.commit_group}, and wait
 * is {@code wgmma.wait_group pending} followed by an empty {@code asm volatile} with a {@code "+f"} operand for each
 * element of {@code acc}. On other CUDA GPUs (mma.sync), on OpenCL and on the JVM the product is computed at issue and the
 * wait does nothing beyond checking {@code pending}, so a kernel that breaks the contract can pass there and fail only on
 * Hopper: ptxas's warning that "wgmma.mma_async instructions are serialized" is the sign on sm_90a that the compiler had
 * to wait early.
 */
public final class WarpgroupMma {
    private WarpgroupMma() {
    }

    /** Starts {@link KernelContext#mmaBf16Warpgroup}{@code (a, aRow, b, bRow, n, acc, accumulate)} as one group. */
    public static void issue(KernelContext ctx, int[] a, int aRow, int[] b, int bRow, int n, float[] acc, boolean accumulate) {
        ctx.mmaBf16Warpgroup(a, aRow, b, bRow, n, acc, accumulate);
    }

    /**
     * Starts {@link KernelContext#mmaBf16WarpgroupRegisters}{@code (exchange, aRegs, b, bRow, acc)} as one group. Off CUDA
     * the registers meet in {@code exchange} between two barriers, so every work-item of the work-group calls it together.
     */
    public static void issueRegisters(KernelContext ctx, int[] exchange, int[] aRegs, int[] b, int bRow, float[] acc) {
        ctx.mmaBf16WarpgroupRegisters(exchange, aRegs, b, bRow, acc);
    }

    /** Rows of a tile in swizzled layout that one swizzle period spans: a tile's rows start on a multiple of it. */
    public static final int SWIZZLE_ROWS = 8;

    /**
     * The int of a tile in swizzled layout that holds channel pair {@code pair} (channels 2 pair and 2 pair + 1, 0 to 31) of
     * row {@code row}. Each row is 64 bf16 channels, 128 bytes, rows one after another; its 16-byte chunk c (pairs 4c to
     * 4c + 3) lies at chunk {@code c ^ (row % 8)}, so the eight rows of a period put any chunk in eight different banks. It
     * is where a {@link Tma} load of a box of 64 bf16 columns lands under {@code TensorMap.withSwizzle(128)}, and the layout
     * Hopper's tensor cores read through a 128-byte-swizzle descriptor (FlashAttention-3's K-major tiles).
     */
    public static int swizzledIndex(int row, int pair) {
        return row * 32 + ((pair >> 2) ^ (row & 7)) * 4 + (pair & 3);
    }

    /**
     * Starts C (64 x n) += A B^T as one group, as {@link #issue} does, on tiles in swizzled layout ({@link #swizzledIndex}):
     * A rows {@code aRow .. aRow + 63}, B rows {@code bRow .. bRow + n - 1}, both multiples of {@link #SWIZZLE_ROWS}, each
     * tile starting on 1,024 bytes (a Tma tile of a 128-byte swizzled map does). On CUDA sm_90a four {@code wgmma.mma_async}
     * steps read both tiles through 128-byte-swizzle descriptors; elsewhere the product of {@link #issue} on this layout.
     */
    public static void issueSwizzled(KernelContext ctx, int[] a, int aRow, int[] b, int bRow, int n, float[] acc, boolean accumulate) {
        KernelContext.checkWarpgroupN(n);
        if (aRow % SWIZZLE_ROWS != 0 || bRow % SWIZZLE_ROWS != 0) {
            throw new IllegalArgumentException("WarpgroupMma.issueSwizzled aRow, bRow: " + aRow + ", " + bRow + "; allowed: multiples of "
                    + SWIZZLE_ROWS + " (a swizzle period)");
        }
        WarpgroupTiles.product(ctx.localIdx, a, aRow, b, bRow, n, acc, accumulate, WarpgroupMma::swizzledIndex);
    }

    /**
     * Starts C (64 x 64) += A B as one group, as {@link #issueRegisters} does, with B rows {@code bRow .. bRow + 31} (the k
     * dimension, bRow a multiple of {@link #SWIZZLE_ROWS}) of a tile in swizzled layout, its 64 channels the n dimension: P·V
     * with V's tile as a swizzled Tma load lands it, the layout K's tile has for {@link #issueSwizzled}. On CUDA sm_90a two
     * {@code wgmma.mma_async} steps read B N-major through a 128-byte-swizzle descriptor, 16 rows (2,048 bytes) a step.
     */
    public static void issueRegistersSwizzled(KernelContext ctx, int[] exchange, int[] aRegs, int[] b, int bRow, float[] acc) {
        checkSwizzledRow("issueRegistersSwizzled", bRow);
        WarpgroupTiles.registersProduct(ctx, exchange, aRegs, b, bRow, acc, WarpgroupMma::swizzledIndex);
    }

    /**
     * Starts C (64 x n) = (accumulate ? C : 0) + A B^T as one group, as {@link #issueSwizzled} does, with A (64 x 64) in
     * registers instead of a tile: each work-item's 16 {@code aRegs}, the A fragments of four k-steps of 16 channels
     * ({@link WarpgroupFragments#fromSwizzled} loads them from a swizzled tile). B is rows {@code bRow .. bRow + n - 1} of a
     * tile in swizzled layout, its 64 channels the k dimension. A query tile kept in registers for a kernel's whole run reads
     * no local memory per product, where {@link #issueSwizzled} reads its A tile again at every one. On CUDA sm_90a four
     * {@code wgmma.mma_async} steps read B K-major through a 128-byte-swizzle descriptor; off CUDA the registers meet in
     * {@code exchange} (16 ints per work-item) between two barriers, so every work-item of the group calls it together.
     */
    public static void issueSwizzledFromRegisters(KernelContext ctx, int[] exchange, int[] aRegs, int[] b, int bRow, int n, float[] acc,
                                                  boolean accumulate) {
        KernelContext.checkWarpgroupN(n);
        checkSwizzledRow("issueSwizzledFromRegisters", bRow);
        WarpgroupTiles.registersTransposedProduct(ctx, exchange, aRegs, b, bRow, n, acc, accumulate, WarpgroupMma::swizzledIndex);
    }

    /**
     * Starts C (64 x n) = (accumulate ? C : 0) + A^T B as one group, as {@link KernelContext#mmaBf16WarpgroupTransposedA}
     * computes it, with B a tile in swizzled layout ({@link #swizzledIndex}): A is rows {@code aRow .. aRow + 63} of a tile in
     * chunk layout, its 64 channels C's rows, and B rows {@code bRow .. bRow + 63} of a swizzled tile (bRow a multiple of
     * {@link #SWIZZLE_ROWS}), its channels {@code bChannel .. bChannel + n - 1} C's columns (bChannel a multiple of 8): as dQ
     * = dS K multiplies queries by keys' channels over the keys, with dS^T kept a key per row and K's tile as a swizzled Tma
     * load lands it. On CUDA sm_90a four {@code wgmma.mma_async} steps read both tiles with rows as k, B through a
     * 128-byte-swizzle descriptor that starts {@code bChannel} channels into its rows; elsewhere the product of
     * {@link KernelContext#mmaBf16WarpgroupTransposedA} on this layout.
     */
    public static void issueTransposedSwizzled(KernelContext ctx, int[] a, int aRow, int[] b, int bRow, int bChannel, int n, float[] acc,
                                               boolean accumulate) {
        KernelContext.checkTransposedA("WarpgroupMma.issueTransposedSwizzled", aRow, bChannel, n);
        checkSwizzledRow("issueTransposedSwizzled", bRow);
        WarpgroupTiles.transposedProduct(ctx.localIdx, a, aRow, b, bRow, bChannel, n, acc, accumulate, WarpgroupMma::swizzledIndex);
    }

    /** Refuses, naming {@code method}, a B row that is not a multiple of {@link #SWIZZLE_ROWS}: a swizzled tile's rows start on a period. */
    private static void checkSwizzledRow(String method, int bRow) {
        if (bRow % SWIZZLE_ROWS != 0) {
            throw new IllegalArgumentException("WarpgroupMma." + method + " bRow: " + bRow + "; allowed: a multiple of " + SWIZZLE_ROWS
                    + " (a swizzle period)");
        }
    }

    /** Waits until at most {@code pending} (a literal, 0 or more) groups this warpgroup issued are still running; see the class comment. */
    public static void wait(KernelContext ctx, int pending, float[] acc) {
        if (pending < 0) {
            throw new IllegalArgumentException("WarpgroupMma.wait: pending must be 0 or more, was " + pending);
        }
    }
}

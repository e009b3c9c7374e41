package org.longnet.engine.api;

/**
 * A 2D region of a device array that {@link Tma} copies whole boxes (tiles) of, as Hopper's tensor memory accelerator does:
 * {@code rows} x {@code columns} elements, row {@code r} starting {@code offset + r * rowStride} elements into the array,
 * read and written in boxes of {@code boxRows} x {@code boxColumns} elements; the parts of a box outside the region read as
 * zeros and are not written. The element type is the array's: {@link FloatArray} (fp32), {@link BFloat16Array} or
 * {@link HalfFloatArray} (16 bits).
 * <p>
 * A region may also have four dimensions ({@link #of(DeviceArray, long, long[], long[], int[])}), innermost first as CUDA
 * lists them: element (i0, i1, i2, i3) at {@code offset + i0 + i1 * strides[0] + i2 * strides[1] + i3 * strides[2]}. Its
 * dimensions need not nest, so one map can gather rows that lie apart: the rows {@code o + m r} of a dilated attention
 * block are (column, {@code o * heads + head}, m, batch) of a map of Q, K or V with strides of one head, {@code r} positions
 * and one sequence. Dimension 0 and 1 are the 2D map's columns and rows.
 * <p>
 * A kernel declares it as a parameter ({@code TensorMap a}) and passes it to {@link Tma}'s methods by name; a task takes the
 * map where the kernel takes it, and moves its array as it moves any array argument (the map is a {@link DeviceArrayView}).
 * On CUDA it becomes a 128-byte {@code CUtensorMap} made by the driver's {@code cuTensorMapEncodeTiled} at launch and
 * passed as a {@code const __grid_constant__} kernel parameter; on OpenCL the array and these numbers are arguments; on the
 * JVM the kernel gets this object.
 * <p>
 * A map may swizzle its tiles ({@link #withSwizzle}), as the matrix units' operands in local memory want them: a box then
 * lands with its 16-byte chunks permuted within each group of rows, so that the rows a warp reads together fall in
 * different memory banks (see {@link #tileByte}).
 * <p>
 * The hardware's rules hold on every device, checked here, so a map that CUDA would refuse fails on the JVM and OpenCL too:
 * the region's start ({@code offset}) and row stride are multiples of 16 bytes, a box row is a multiple of 16 bytes, box
 * sides are 1 to 256 elements, and the region lies inside the array.
 */
public final class TensorMap implements DeviceArrayView {
    /** The most elements a box side may have (TMA's limit). */
    public static final int MAX_BOX_SIDE = 256;
    /** The alignment, in bytes, of the region's start, its row stride and a box row (TMA's). */
    public static final int ALIGNMENT = 16;
    /** The alignment, in bytes, that a local tile a box lands in must have (TMA's, for shared memory). */
    public static final int TILE_ALIGNMENT = 128;

    /** The most dimensions a map has (CUDA's limit): a dilated block's rows need five when segments are not a multiple of r. */
    public static final int MAX_RANK = 5;
    /** The swizzles a map may have, in bytes (0: none); CUDA's CU_TENSOR_MAP_SWIZZLE_32B, _64B and _128B. */
    private static final java.util.List<Integer> SWIZZLES = java.util.List.of(0, 32, 64, 128);
    /** The bytes of one permuted chunk, and of one line of local memory whose index picks the permutation. */
    private static final int CHUNK = 16, LINE = 128;

    private final DeviceArray array;
    private final long offset;
    private final int rank;
    /** Per dimension, innermost first, MAX_RANK of each: the sizes and boxes 1 and the strides 0 past the rank. */
    private final long[] sizes, strides;
    private final int[] box;
    /** Bytes of the swizzle span, 0 for none. */
    private final int swizzle;

    private TensorMap(DeviceArray array, long offset, int rank, long[] sizes, long[] strides, int[] box) {
        this(array, offset, rank, sizes, strides, box, 0);
    }

    private TensorMap(DeviceArray array, long offset, int rank, long[] sizes, long[] strides, int[] box, int swizzle) {
        this.array = array;
        this.offset = offset;
        this.rank = rank;
        this.swizzle = swizzle;
        this.sizes = java.util.Arrays.copyOf(sizes, MAX_RANK);
        this.strides = java.util.Arrays.copyOf(strides, MAX_RANK);
        this.box = java.util.Arrays.copyOf(box, MAX_RANK);
        for (int d = rank; d < MAX_RANK; d++) {
            this.sizes[d] = 1;
            this.box[d] = 1;
        }
    }

    /**
     * The map of {@code rows} x {@code columns} elements of {@code array}, row {@code r} at element
     * {@code offset + r * rowStride}, copied in boxes of {@code boxRows} x {@code boxColumns}.
     *
     * @throws IllegalArgumentException naming the first parameter that breaks a rule of the class comment
     */
    public static TensorMap of(DeviceArray array, long offset, long rows, long columns, long rowStride, int boxRows, int boxColumns) {
        checkArray(array);
        int bytes = array.elementBytes();
        check("rows", rows, 1, 1L << 32, "1 to 2^32");
        check("columns", columns, 1, 1L << 32, "1 to 2^32");
        check("boxRows", boxRows, 1, MAX_BOX_SIDE, "1 to " + MAX_BOX_SIDE);
        check("boxColumns", boxColumns, 1, MAX_BOX_SIDE, "1 to " + MAX_BOX_SIDE);
        aligned("boxColumns", boxColumns, bytes, "a box row");
        aligned("offset", offset, bytes, "the region's start");
        aligned("rowStride", rowStride, bytes, "a row stride");
        check("offset", offset, 0, Long.MAX_VALUE, "0 or more");
        check("rowStride", rowStride, columns, (1L << 40) / bytes - 1, "at least columns (" + columns + "), under 2^40 bytes");
        long end = offset + (rows - 1) * rowStride + columns;
        if (end > array.getSize()) {
            throw new IllegalArgumentException("TensorMap rows: " + rows + " rows of stride " + rowStride + " from offset " + offset
                    + " end at element " + end + "; allowed: within the array's " + array.getSize() + " elements");
        }
        return new TensorMap(array, offset, 2, new long[] {columns, rows}, new long[] {1, rowStride}, new int[] {boxColumns, boxRows});
    }

    /**
     * The four- or five-dimensional map of {@code array} from element {@code offset}: {@code sizes[d]} elements along
     * dimension d (innermost first), one step along dimension d + 1 is {@code strides[d]} elements (one stride fewer than
     * sizes), copied in boxes of {@code box[d]} elements along dimension d.
     *
     * @throws IllegalArgumentException naming the first parameter that breaks a rule of the class comment
     */
    public static TensorMap of(DeviceArray array, long offset, long[] sizes, long[] strides, int[] box) {
        checkArray(array);
        int rank = sizes.length;
        if (rank < MAX_RANK - 1 || rank > MAX_RANK || strides.length != rank - 1 || box.length != rank) {
            throw new IllegalArgumentException("TensorMap dimensions: " + sizes.length + " sizes, " + strides.length + " strides, " + box.length
                    + " box sides; allowed: " + (MAX_RANK - 1) + " or " + MAX_RANK + " sizes, as many box sides and one stride fewer"
                    + " (a region of fewer dimensions has outer sizes of 1)");
        }
        int bytes = array.elementBytes();
        long end = offset + sizes[0];
        long[] all = new long[rank];
        all[0] = 1;
        for (int d = 0; d < rank; d++) {
            check("sizes[" + d + "]", sizes[d], 1, 1L << 32, "1 to 2^32");
            check("box[" + d + "]", box[d], 1, MAX_BOX_SIDE, "1 to " + MAX_BOX_SIDE);
            if (d > 0) {
                aligned("strides[" + (d - 1) + "]", strides[d - 1], bytes, "a stride");
                check("strides[" + (d - 1) + "]", strides[d - 1], d == 1 ? sizes[0] : 0, (1L << 40) / bytes - 1,
                        (d == 1 ? "at least sizes[0] (" + sizes[0] + ")" : "0 or more") + ", under 2^40 bytes");
                all[d] = strides[d - 1];
                end += (sizes[d] - 1) * strides[d - 1];
            }
        }
        aligned("box[0]", box[0], bytes, "a box row");
        aligned("offset", offset, bytes, "the region's start");
        check("offset", offset, 0, Long.MAX_VALUE, "0 or more");
        if (end > array.getSize()) {
            throw new IllegalArgumentException("TensorMap sizes: " + java.util.Arrays.toString(sizes) + " of strides " + java.util.Arrays.toString(strides)
                    + " from offset " + offset + " end at element " + end + "; allowed: within the array's " + array.getSize() + " elements");
        }
        return new TensorMap(array, offset, rank, sizes, all, box);
    }

    /**
     * This map with its tiles swizzled over {@code bytes} (32, 64 or 128; 0 for none): tile byte {@link #tileByte}(b) holds the
     * box's dense byte b. A box row must then be exactly {@code bytes} long (64 bf16 elements or 32 fp32 for 128), as the
     * matrix units' swizzled operands are, and a tile starts on {@link #tileAlignment} bytes (8 rows: the permutation's period).
     *
     * @throws IllegalArgumentException naming the swizzle or the box row that breaks the rule
     */
    public TensorMap withSwizzle(int bytes) {
        if (!SWIZZLES.contains(bytes)) {
            throw new IllegalArgumentException("TensorMap swizzle: " + bytes + " bytes; allowed: " + SWIZZLES);
        }
        if (bytes != 0 && box[0] * elementBytes() != bytes) {
            throw new IllegalArgumentException("TensorMap swizzle: a box row of " + box[0] + " elements (" + box[0] * elementBytes()
                    + " bytes) under a " + bytes + "-byte swizzle; allowed: a box row of exactly " + bytes + " bytes ("
                    + bytes / elementBytes() + " elements)");
        }
        return new TensorMap(array, offset, rank, sizes, strides, box, bytes);
    }

    /** Bytes of the swizzle span: 0 (none), 32, 64 or 128. */
    public int swizzle() {
        return swizzle;
    }

    /**
     * Where in a tile the box's dense byte {@code b} lands: unswizzled, at b; swizzled over S bytes, its 16-byte chunk index
     * has the low log2(S / 16) bits flipped by those of its 128-byte line index (CUTLASS's {@code Swizzle<log2(S/16), 4, 3>}).
     * Under a 128-byte swizzle, chunk c of row r lands as chunk {@code c ^ (r % 8)} of that row.
     */
    public int tileByte(int b) {
        return swizzle == 0 ? b : b ^ (b / LINE & swizzle / CHUNK - 1) * CHUNK;
    }

    /** The alignment, in bytes, of a tile a box of this map lands in: {@link #TILE_ALIGNMENT}, or 8 swizzle spans. */
    public int tileAlignment() {
        return swizzle == 0 ? TILE_ALIGNMENT : 8 * swizzle;
    }

    /** The map of a dense row-major {@code rows} x {@code columns} matrix at the start of {@code array}. */
    public static TensorMap of(DeviceArray array, long rows, long columns, int boxRows, int boxColumns) {
        return of(array, 0, rows, columns, columns, boxRows, boxColumns);
    }

    private static void checkArray(DeviceArray array) {
        if (!(array instanceof FloatArray || array instanceof BFloat16Array || array instanceof HalfFloatArray)) {
            throw new IllegalArgumentException("TensorMap array: " + (array == null ? "null" : array.getClass().getSimpleName())
                    + "; allowed: FloatArray, BFloat16Array, HalfFloatArray");
        }
    }

    private static void check(String parameter, long value, long min, long max, String allowed) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("TensorMap " + parameter + ": " + value + "; allowed: " + allowed);
        }
    }

    private static void aligned(String parameter, long elements, int bytes, String what) {
        if (elements * bytes % ALIGNMENT != 0) {
            throw new IllegalArgumentException("TensorMap " + parameter + ": " + elements + " elements of " + bytes + " bytes; allowed: "
                    + what + " a multiple of " + ALIGNMENT + " bytes (" + ALIGNMENT / bytes + " elements)");
        }
    }

    @Override
    public DeviceArray deviceArray() {
        return array;
    }

    public long offset() {
        return offset;
    }

    /** 2, 4 or {@link #MAX_RANK}: the coordinates a {@link Tma} copy of this map takes. */
    public int rank() {
        return rank;
    }

    /** Elements along dimension {@code d} (innermost first); 1 past the rank. */
    public long size(int d) {
        return sizes[d];
    }

    /** Elements between neighbours along dimension {@code d}: 1 for dimension 0, 0 past the rank. */
    public long stride(int d) {
        return strides[d];
    }

    /** A box's elements along dimension {@code d}; 1 past the rank. */
    public int box(int d) {
        return box[d];
    }

    /** Dimension 1. */
    public long rows() {
        return sizes[1];
    }

    /** Dimension 0. */
    public long columns() {
        return sizes[0];
    }

    /** Elements from the start of one row to the start of the next (dimension 1's stride). */
    public long rowStride() {
        return strides[1];
    }

    public int boxRows() {
        return box[1];
    }

    public int boxColumns() {
        return box[0];
    }

    /** Elements of one box. */
    public int boxElements() {
        return box[0] * box[1] * box[2] * box[3] * box[4];
    }

    /** Bytes of one element: 4 for fp32, 2 for bf16 and fp16. */
    public int elementBytes() {
        return array.elementBytes();
    }

    /** Bytes of one box: what a load's {@link Mbarriers#arriveExpectTx} expects. */
    public int boxBytes() {
        return boxElements() * elementBytes();
    }

    @Override
    public String toString() {
        String type = array.getClass().getSimpleName(), swizzled = swizzle == 0 ? "" : ", swizzled over " + swizzle + " bytes";
        if (rank == 2) {
            return "TensorMap[" + rows() + " x " + columns() + " of " + type + " from " + offset + ", stride " + rowStride() + ", box "
                    + boxRows() + " x " + boxColumns() + swizzled + "]";
        }
        StringBuilder shape = new StringBuilder(), steps = new StringBuilder(), boxes = new StringBuilder();
        for (int d = 0; d < rank; d++) {
            shape.append(d == 0 ? "" : " x ").append(sizes[d]);
            steps.append(d < 2 ? "" : ", ").append(d == 0 ? "" : String.valueOf(strides[d]));
            boxes.append(d == 0 ? "" : " x ").append(box[d]);
        }
        return "TensorMap[" + shape + " (innermost first) of " + type + " from " + offset + ", strides " + steps + ", box " + boxes + swizzled + "]";
    }
}

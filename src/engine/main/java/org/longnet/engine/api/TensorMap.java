package org.longnet.engine.api;

/**
 * A 2D region of a device array that {@link Tma} copies whole boxes (tiles) of, as Hopper's tensor memory accelerator does:
 * {@code rows} x {@code columns} elements, row {@code r} starting {@code offset + r * rowStride} elements into the array,
 * read and written in boxes of {@code boxRows} x {@code boxColumns} elements; the parts of a box outside the region read as
 * zeros and are not written. The element type is the array's: {@link FloatArray} (fp32), {@link BFloat16Array} or
 * {@link HalfFloatArray} (16 bits).
 * <p>
 * A kernel declares it as a parameter ({@code TensorMap a}) and passes it to {@link Tma}'s methods by name; a task takes the
 * map where the kernel takes it, and moves its array as it moves any array argument (the map is a {@link DeviceArrayView}).
 * On CUDA it becomes a 128-byte {@code CUtensorMap} made by the driver's {@code cuTensorMapEncodeTiled} at launch and
 * passed as a {@code const __grid_constant__} kernel parameter; on OpenCL the array and these numbers are arguments; on the
 * JVM the kernel gets this object.
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

    private final DeviceArray array;
    private final long offset, rows, columns, rowStride;
    private final int boxRows, boxColumns;

    private TensorMap(DeviceArray array, long offset, long rows, long columns, long rowStride, int boxRows, int boxColumns) {
        this.array = array;
        this.offset = offset;
        this.rows = rows;
        this.columns = columns;
        this.rowStride = rowStride;
        this.boxRows = boxRows;
        this.boxColumns = boxColumns;
    }

    /**
     * The map of {@code rows} x {@code columns} elements of {@code array}, row {@code r} at element
     * {@code offset + r * rowStride}, copied in boxes of {@code boxRows} x {@code boxColumns}.
     *
     * @throws IllegalArgumentException naming the first parameter that breaks a rule of the class comment
     */
    public static TensorMap of(DeviceArray array, long offset, long rows, long columns, long rowStride, int boxRows, int boxColumns) {
        if (!(array instanceof FloatArray || array instanceof BFloat16Array || array instanceof HalfFloatArray)) {
            throw new IllegalArgumentException("TensorMap array: " + (array == null ? "null" : array.getClass().getSimpleName())
                    + "; allowed: FloatArray, BFloat16Array, HalfFloatArray");
        }
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
        return new TensorMap(array, offset, rows, columns, rowStride, boxRows, boxColumns);
    }

    /** The map of a dense row-major {@code rows} x {@code columns} matrix at the start of {@code array}. */
    public static TensorMap of(DeviceArray array, long rows, long columns, int boxRows, int boxColumns) {
        return of(array, 0, rows, columns, columns, boxRows, boxColumns);
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

    public long rows() {
        return rows;
    }

    public long columns() {
        return columns;
    }

    /** Elements from the start of one row to the start of the next. */
    public long rowStride() {
        return rowStride;
    }

    public int boxRows() {
        return boxRows;
    }

    public int boxColumns() {
        return boxColumns;
    }

    /** Bytes of one element: 4 for fp32, 2 for bf16 and fp16. */
    public int elementBytes() {
        return array.elementBytes();
    }

    /** Bytes of one box: what a load's {@link Mbarriers#arriveExpectTx} expects. */
    public int boxBytes() {
        return boxRows * boxColumns * elementBytes();
    }

    @Override
    public String toString() {
        return "TensorMap[" + rows + " x " + columns + " of " + array.getClass().getSimpleName() + " from " + offset + ", stride "
                + rowStride + ", box " + boxRows + " x " + boxColumns + "]";
    }
}

package uk.ac.manchester.tornado.api.types.images;

import uk.ac.manchester.tornado.api.types.arrays.NativeArrayView;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * What TornadoVM's images and volumes share: a grid of X columns by Y rows (by Z slices in a volume) of elements of
 * {@code lanes} lanes each, in one TornadoVM array, x fastest: element {@code (x, y)} at {@code x + y * X}, element
 * {@code (x, y, z)} at {@code x + (y + z * Y) * X}, its lanes one after another. Kernels receive the array with its
 * extents outermost first ({@link #extents()}: Y, X, or Z, Y, X), and read {@code X()}, {@code Y()}, {@code Z()},
 * {@code get} and {@code set} from them.
 */
public abstract class GridView<A extends TornadoNativeArray> extends NativeArrayView<A> {
    /** The grid's sizes, x first. */
    private final int[] sizes;
    private final int lanes;

    /** A grid of {@code sizes} (X, Y[, Z]) over {@code storage}, which must hold {@code lanes} elements for each point. */
    protected GridView(A storage, int lanes, int... sizes) {
        super(storage);
        long needed = elements(getClass().getSimpleName(), lanes, sizes);
        if (storage.getSize() != needed) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " of " + shape(sizes) + " needs " + needed + " array elements ("
                    + lanes + " a point); its array has " + storage.getSize());
        }
        this.sizes = sizes.clone();
        this.lanes = lanes;
    }

    /** Columns. */
    public int X() {
        return sizes[0];
    }

    /** Rows. */
    public int Y() {
        return sizes[1];
    }

    /** The array that holds the elements (not a copy). */
    public A getArray() {
        return storage;
    }

    /** The extents outermost first, as kernels receive them: Y and X for an image, Z, Y and X for a volume. */
    @Override
    public int[] extents() {
        int[] out = new int[sizes.length];
        for (int d = 0; d < sizes.length; d++) {
            out[d] = sizes[sizes.length - 1 - d];
        }
        return out;
    }

    /** The number of points: X * Y (* Z). */
    final int points() {
        return storage.getSize() / lanes;
    }

    /** The extent of dimension {@code d}: 0 x, 1 y, 2 z. */
    protected final int size(int d) {
        return sizes[d];
    }

    /** The index of the first array element of point {@code (x, y[, z])}, which must lie inside the grid. */
    protected final int at(int... point) {
        int index = 0;
        for (int d = sizes.length - 1; d >= 0; d--) {
            if (point[d] < 0 || point[d] >= sizes[d]) {
                throw new IndexOutOfBoundsException("point " + Arrays.toString(point) + " is outside a " + getClass().getSimpleName() + " of "
                        + shape(sizes));
            }
            index = index * sizes[d] + point[d];
        }
        return index * lanes;
    }

    /** The index of the first array element of point {@code i} counted x fastest, which must be one of the grid's. */
    protected final int atPoint(int i) {
        if (i < 0 || i >= points()) {
            throw new IndexOutOfBoundsException("point " + i + " is outside a " + getClass().getSimpleName() + " of " + points() + " points");
        }
        return i * lanes;
    }

    /** Copies {@code other}'s elements, or fails with a clear message unless it has this grid's shape and class. */
    protected final void copyFrom(GridView<A> other) {
        if (!Arrays.equals(sizes, other.sizes) || getClass() != other.getClass()) {
            throw new IllegalArgumentException("set needs a " + getClass().getSimpleName() + " of " + shape(sizes) + ", not a "
                    + other.getClass().getSimpleName() + " of " + shape(other.sizes));
        }
        getSegment().copyFrom(other.getSegment().asSlice(0, getNumBytes()));
    }

    /** The points written by {@code point} (given the index of their first element), a row a line. */
    protected final String rows(IntFunction<String> point) {
        StringJoiner rows = new StringJoiner("\n");
        for (int row = 0; row < points() / X(); row++) {
            StringJoiner line = new StringJoiner(" ");
            for (int x = 0; x < X(); x++) {
                line.add(point.apply((row * X() + x) * lanes));
            }
            rows.add(line.toString());
        }
        return rows.toString();
    }

    /** The class's name and shape, and its points (written by {@code point}) where every extent is under 16. */
    protected final String describe(IntFunction<String> point) {
        String head = getClass().getSimpleName() + " <" + shape(sizes) + ">";
        return Arrays.stream(sizes).allMatch(s -> s < 16) ? head + "\n" + rows(point) : head;
    }

    /** {@code value} written with {@code fmt}, whatever the host's locale. */
    protected static String format(String fmt, Object... value) {
        return String.format(Locale.ROOT, fmt, value);
    }

    /** The array elements a grid of {@code sizes} with {@code lanes} lanes a point needs, or a clear error. */
    protected static int elements(String type, int lanes, int... sizes) {
        long n = lanes;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException(type + " sizes must be 0 or more, not " + shape(sizes));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(type + " of " + shape(sizes) + " needs more than " + Integer.MAX_VALUE + " array elements");
            }
        }
        return (int) n;
    }

    private static String shape(int[] sizes) {
        return String.join(" x ", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }
}

package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.annotations.Reduce;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tasks on objects, as TornadoVM's programs write them, on every test device: instance methods ({@code obj::method},
 * {@code this::method}, {@code Type::method} with the object first) reading and writing their receiver's array and number
 * fields, static methods taking objects whose fields (inherited, or reached through other objects) they use, and methods
 * called on objects (through an abstract class, on a new object without fields, on the receiver). Each result
 * is compared with the same method run in plain Java on a copy of the inputs; inputs are random, lengths no multiple of a
 * work-group's, outputs poisoned first.
 */
@DeviceTest
class TornadoObjectTasksTest {
    private static final int N = 1037;

    /** The receiver of {@code this::scaleInto}. */
    private final float factor = 3;

    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void execute(String id, TaskGraph graph, int times) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id));
            for (int i = 0; i < times; i++) {
                plan.execute();
            }
        }
    }

    /** Fields of arrays and numbers, and an overload whose parameters hide the fields of their names. */
    static final class Saxpy {
        final FloatArray x;
        final FloatArray y;
        final float alpha;

        Saxpy(FloatArray x, FloatArray y, float alpha) {
            this.x = x;
            this.y = y;
            this.alpha = alpha;
        }

        void compute() {
            for (@Parallel int i = 0; i < y.getSize(); i++) {
                y.set(i, (x.get(i) - this.y.get(i)) * alpha);
            }
        }

        void compute(FloatArray x, FloatArray y) {
            for (@Parallel int i = 0; i < y.getSize(); i++) {
                y.set(i, x.get(i) - alpha);
            }
        }
    }

    private static Saxpy saxpy(long seed) {
        FloatArray y = TornadoApiTest.random(N, seed + 1);
        return new Saxpy(TornadoApiTest.random(N, seed), y, (float) new SplittableRandom(seed).nextDouble(-2, 2));
    }

    private static FloatArray copy(FloatArray a) {
        FloatArray c = new FloatArray(a.getSize());
        for (int i = 0; i < a.getSize(); i++) {
            c.set(i, a.get(i));
        }
        return c;
    }

    private static void assertSame(FloatArray want, FloatArray got) {
        for (int i = 0; i < want.getSize(); i++) {
            assertEquals(Float.floatToIntBits(want.get(i)), Float.floatToIntBits(got.get(i)), "element " + i);
        }
    }

    @ParameterizedTest(name = "an instance method on its receiver's fields, and its overload on parameters, on {0}")
    @MethodSource("devices")
    void instanceMethodsReadAndWriteTheirFields(String id) throws Exception {
        Saxpy onDevice = saxpy(31);
        Saxpy onHost = new Saxpy(copy(onDevice.x), copy(onDevice.y), onDevice.alpha);
        FloatArray out = new FloatArray(N);
        out.init(Float.NaN);
        FloatArray hostOut = new FloatArray(N);
        execute(id, new TaskGraph("s").task("fields", onDevice::compute).task("params", onDevice::compute, onDevice.y, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, onDevice.y, out), 1);
        onHost.compute();
        onHost.compute(onHost.y, hostOut);
        assertSame(onHost.y, onDevice.y);
        assertSame(hostOut, out);
    }

    private void scaleInto(FloatArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i) * factor);
        }
    }

    @ParameterizedTest(name = "this::method and Type::method with the object first, on {0}")
    @MethodSource("devices")
    void thisAndUnboundReferences(String id) throws Exception {
        FloatArray in = TornadoApiTest.random(N, 32);
        FloatArray viaThis = new FloatArray(N);
        viaThis.init(Float.NaN);
        Saxpy s = saxpy(33);
        FloatArray hostY = copy(s.y);
        execute(id, new TaskGraph("s").task("this", this::scaleInto, in, viaThis).task("unbound", Saxpy::compute, s)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, viaThis, s.y), 1);
        for (int i = 0; i < N; i++) {
            assertEquals(Float.floatToIntBits(in.get(i) * factor), Float.floatToIntBits(viaThis.get(i)), "element " + i);
            hostY.set(i, (s.x.get(i) - hostY.get(i)) * s.alpha);
        }
        assertSame(hostY, s.y);
    }

    /** Samples, their statistics written by the kernel into number fields, and a count of the runs. */
    static class Samples {
        final float[] values;

        Samples(float[] values) {
            this.values = values;
        }
    }

    static final class Summary {
        final Samples samples;
        float total;
        int runs;
        long lastLength;

        Summary(Samples samples) {
            this.samples = samples;
        }
    }

    static void summarise(Summary s, int bias) {
        float sum = 0;
        for (int i = 0; i < s.samples.values.length; i++) {
            sum += s.samples.values[i];
        }
        s.total = sum + bias;
        s.runs++;
        s.lastLength = s.samples.values.length;
    }

    @ParameterizedTest(name = "number fields written by a kernel come back after each execution, on {0}")
    @MethodSource("devices")
    void writtenNumberFieldsComeBack(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(34);
        float[] values = new float[N];
        for (int i = 0; i < N; i++) {
            values[i] = (float) r.nextDouble(-1, 1);
        }
        Summary onDevice = new Summary(new Samples(values));
        onDevice.total = Float.NaN;
        onDevice.runs = 5;
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, onDevice)
                .task("sum", TornadoObjectTasksTest::summarise, onDevice, 7)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, onDevice), 3);
        Summary onHost = new Summary(new Samples(values.clone()));
        onHost.runs = 5;
        for (int run = 0; run < 3; run++) {
            summarise(onHost, 7);
        }
        assertEquals(Float.floatToIntBits(onHost.total), Float.floatToIntBits(onDevice.total));
        assertEquals(8, onDevice.runs, "each execution starts from the field's value and writes it back");
        assertEquals(N, onDevice.lastLength);
    }

    /** A receiver that keeps the largest element it has seen in a number field, written by its method. */
    static final class Maximum {
        final IntArray values;
        int largest;

        Maximum(IntArray values) {
            this.values = values;
        }

        void update() {
            for (int i = 0; i < values.getSize(); i++) {
                largest = Math.max(largest, values.get(i));
            }
        }
    }

    @ParameterizedTest(name = "an instance method writes its receiver's number field, on {0}")
    @MethodSource("devices")
    void receiverNumberFieldComesBack(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(36);
        Maximum m = new Maximum(new IntArray(N));
        int want = Integer.MIN_VALUE;
        for (int i = 0; i < N; i++) {
            m.values.set(i, r.nextInt(-1_000_000, 1_000_000));
            want = Math.max(want, m.values.get(i));
        }
        m.largest = Integer.MIN_VALUE;
        execute(id, new TaskGraph("s").task("max", m::update), 1);
        assertEquals(want, m.largest);
        m.largest = Integer.MAX_VALUE;
        execute(id, new TaskGraph("s").task("max", m::update), 1);
        assertEquals(Integer.MAX_VALUE, m.largest, "the kernel starts from the field's value when the task runs");
    }

    /** A map through an abstract class that one class fills; that class's method uses an object without fields. */
    abstract static class Mapping {
        abstract int apply(int value);
    }

    static final class Polynomial {
        int at(int x, int c) {
            return x * x - c;
        }
    }

    static final class Shifted extends Mapping {
        final int shift;

        Shifted(int shift) {
            this.shift = shift;
        }

        @Override
        int apply(int value) {
            Polynomial p = new Polynomial();
            return p.at(value + shift, shift);
        }
    }

    static final class Mapper {
        final Mapping mapping;
        final IntArray counter;

        Mapper(Mapping mapping) {
            this.mapping = mapping;
            this.counter = new IntArray(1);
        }

        void map(int[] in, int[] out) {
            for (@Parallel int i = 0; i < in.length; i++) {
                out[i] = twice(mapping.apply(in[i]));
            }
        }

        int twice(int v) {
            return 2 * v + counter.get(0);
        }
    }

    @ParameterizedTest(name = "methods called on objects: through an abstract class, on a new object, on the receiver, on {0}")
    @MethodSource("devices")
    void callsOnObjects(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(37);
        int[] in = new int[N];
        for (int i = 0; i < N; i++) {
            in[i] = r.nextInt(-1000, 1000);
        }
        int[] out = new int[N];
        Mapper mapper = new Mapper(new Shifted(r.nextInt(1, 50)));
        mapper.counter.set(0, r.nextInt(-9, 9));
        execute(id, new TaskGraph("s").task("map", mapper::map, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out), 1);
        for (int i = 0; i < N; i++) {
            assertEquals(mapper.twice(mapper.mapping.apply(in[i])), out[i], "element " + i);
        }
    }

    /** A class whose arrays are its own and its superclass's. */
    static class Base {
        final IntArray counts;

        Base(int n) {
            counts = new IntArray(n);
        }
    }

    static final class Derived extends Base {
        final int[] extra;

        Derived(int n) {
            super(n);
            extra = new int[n];
        }
    }

    static void addTo(Derived d, IntArray by) {
        for (@Parallel int i = 0; i < by.getSize(); i++) {
            d.counts.set(i, d.counts.get(i) + by.get(i));
            d.extra[i] = d.extra[i] - by.get(i);
        }
    }

    static void total(IntArray in, @Reduce IntArray result, Base b) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            result.set(0, result.get(0) + in.get(i) * b.counts.get(0));
        }
    }

    @ParameterizedTest(name = "an object's inherited fields, its arrays moved by transfers of it, on {0}")
    @MethodSource("devices")
    void objectsAsArgumentsWithInheritedFields(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(35);
        IntArray by = new IntArray(N);
        Derived d = new Derived(N);
        int[] wantCounts = new int[N];
        int[] wantExtra = new int[N];
        for (int i = 0; i < N; i++) {
            by.set(i, r.nextInt(-100, 100));
            d.counts.set(i, r.nextInt(-100, 100));
            d.extra[i] = r.nextInt(-100, 100);
            wantCounts[i] = d.counts.get(i) + 2 * by.get(i);
            wantExtra[i] = d.extra[i] - 2 * by.get(i);
        }
        IntArray result = new IntArray(1);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, d, by)
                .task("add", TornadoObjectTasksTest::addTo, d, by)
                .task("total", TornadoObjectTasksTest::total, by, result, d)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, d, result), 2);
        long want = 0;
        for (int i = 0; i < N; i++) {
            assertEquals(wantCounts[i], d.counts.get(i), "counts " + i);
            assertEquals(wantExtra[i], d.extra[i], "extra " + i);
        }
        for (int run = 1; run <= 2; run++) {
            int scale = d.counts.get(0) - (2 - run) * by.get(0);
            for (int i = 0; i < N; i++) {
                want += (long) by.get(i) * scale;
            }
        }
        assertEquals((int) want, result.get(0), "the reduction over both executions");
    }
}

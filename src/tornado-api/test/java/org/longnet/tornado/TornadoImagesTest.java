package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.images.ImageByte3;
import uk.ac.manchester.tornado.api.types.images.ImageByte4;
import uk.ac.manchester.tornado.api.types.images.ImageFloat;
import uk.ac.manchester.tornado.api.types.images.ImageFloat3;
import uk.ac.manchester.tornado.api.types.images.ImageFloat4;
import uk.ac.manchester.tornado.api.types.images.ImageFloat8;
import uk.ac.manchester.tornado.api.types.utils.FloatOps;
import uk.ac.manchester.tornado.api.types.vectors.Byte3;
import uk.ac.manchester.tornado.api.types.vectors.Byte4;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;
import uk.ac.manchester.tornado.api.types.vectors.Short2;
import uk.ac.manchester.tornado.api.types.volumes.VolumeShort2;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's images and volumes as kernel arguments on every test device, against references computed on the host with
 * the same Java: sizes that are no multiples of a work-group's, reads at other points than the one written (a flip, a
 * clamped neighbourhood through a helper) so that x and y cannot trade places unseen, byte and short vector arithmetic that
 * wraps as Java's does, and fill as a task. Outputs are poisoned beforehand, so a point a kernel misses fails.
 */
@DeviceTest
class TornadoImagesTest {
    private static final int X = 37, Y = 23, Z = 5;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** The mean of the 3 x 3 neighbourhood of each pixel, its coordinates clamped to the image, weighted by FloatOps.sq. */
    static void smooth(ImageFloat in, ImageFloat out) {
        for (@Parallel int y = 0; y < in.Y(); y++) {
            for (@Parallel int x = 0; x < in.X(); x++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += FloatOps.sq(dx + dy) * clamped(in, x + dx, y + dy);
                    }
                }
                out.set(x, y, sum / 9);
            }
        }
    }

    /** A helper that receives an image, with its extents. */
    private static float clamped(ImageFloat image, int x, int y) {
        return image.get(TornadoMath.clamp(x, 0, image.X() - 1), TornadoMath.clamp(y, 0, image.Y() - 1));
    }

    /** Each pixel read upside down, doubled, plus its coordinates. */
    static void flip(ImageFloat4 in, ImageFloat4 out) {
        for (@Parallel int x = 0; x < in.X(); x++) {
            for (@Parallel int y = 0; y < in.Y(); y++) {
                out.set(x, y, Float4.add(Float4.mult(in.get(x, in.Y() - 1 - y), 2f), new Float4(x, y, in.size(), 1)));
            }
        }
    }

    static void crossWithX(ImageFloat3 in, ImageFloat3 out) {
        for (@Parallel int y = 0; y < in.Y(); y++) {
            for (@Parallel int x = 0; x < in.X(); x++) {
                out.set(x, y, Float3.cross(in.get(x, y), new Float3(x, 1, 0)));
            }
        }
    }

    static void mirror(ImageFloat8 in, ImageFloat8 out) {
        for (@Parallel int y = 0; y < in.Y(); y++) {
            for (@Parallel int x = 0; x < in.X(); x++) {
                Float8 p = in.get(in.X() - 1 - x, y);
                p.setS7(p.getS0() + y);
                out.set(x, y, p);
            }
        }
    }

    /** Byte lanes that overflow: Java wraps them on the cast back to byte, and so must the kernel. */
    static void shiftBytes(ImageByte3 in, ImageByte3 out, ImageByte4 four, ImageByte4 fourOut) {
        for (@Parallel int y = 0; y < in.Y(); y++) {
            for (@Parallel int x = 0; x < in.X(); x++) {
                Byte3 p = Byte3.add(in.get(x, y), new Byte3((byte) x, (byte) y, (byte) 100));
                out.set(x, y, Byte3.mult(p, (byte) 3));
                Byte4 q = four.get(x, y);
                fourOut.set(x, y, Byte4.max(Byte4.sub(q, new Byte4((byte) 50, (byte) -50, q.getX(), (byte) 1)), new Byte4((byte) 0, (byte) 0, (byte) 0,
                        Byte4.min(q))));
            }
        }
    }

    /** Each voxel less its coordinates, and the sum of the x lanes over z into an image. */
    static void volume(VolumeShort2 in, VolumeShort2 out, ImageFloat sums) {
        for (@Parallel int y = 0; y < in.Y(); y++) {
            for (@Parallel int x = 0; x < in.X(); x++) {
                float sum = 0;
                for (int z = 0; z < in.Z(); z++) {
                    Short2 v = in.get(x, y, z);
                    out.set(x, y, z, Short2.sub(v, new Short2((short) (z * 1000), (short) x)));
                    sum += v.getX();
                }
                sums.set(x, y, sum);
            }
        }
    }

    /** Points counted row by row, read in reverse order: a Float3's lanes by their S names and its first two as a Float2. */
    static void reversedPoints(ImageFloat3 in, ImageFloat3 out, ImageFloat scalars, ImageFloat doubled) {
        for (@Parallel int i = 0; i < in.X() * in.Y(); i++) {
            Float3 p = in.get(in.X() * in.Y() - 1 - i);
            out.set(i, new Float3(p.getS2(), p.asFloat2().getY(), p.getS0() + i));
            doubled.set(i, 2 * scalars.get(in.X() * in.Y() - 1 - i));
        }
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    @ParameterizedTest(name = "ImageFloat neighbourhood through a helper on {0}")
    @MethodSource("devices")
    void floatImageNeighbourhood(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        ImageFloat in = new ImageFloat(X, Y), out = new ImageFloat(X, Y), want = new ImageFloat(X, Y);
        for (int i = 0; i < X * Y; i++) {
            in.set(i, (float) r.nextDouble(-1, 1));
        }
        out.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("smooth", TornadoImagesTest::smooth, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        smooth(in, want);
        for (int y = 0; y < Y; y++) {
            for (int x = 0; x < X; x++) {
                assertEquals(want.get(x, y), out.get(x, y), 1e-5, "(" + x + ", " + y + ")");
            }
        }
    }

    @ParameterizedTest(name = "points counted row by row on {0}")
    @MethodSource("devices")
    void pointsByIndex(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        ImageFloat3 in = new ImageFloat3(X, Y), out = new ImageFloat3(X, Y);
        ImageFloat scalars = new ImageFloat(X, Y), doubled = new ImageFloat(X, Y);
        for (int i = 0; i < in.size(); i++) {
            in.getArray().set(i, (float) r.nextDouble(-1, 1));
        }
        for (int i = 0; i < X * Y; i++) {
            scalars.set(i, (float) r.nextDouble(-1, 1));
        }
        out.fill(Float.NaN);
        doubled.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in, scalars)
                .task("r", TornadoImagesTest::reversedPoints, in, out, scalars, doubled).transferToHost(DataTransferMode.EVERY_EXECUTION, out, doubled));
        float[] lanes = in.getArray().toHeapArray();
        float[] got = out.getArray().toHeapArray();
        for (int i = 0; i < X * Y; i++) {
            int from = (X * Y - 1 - i) * 3;
            assertEquals(lanes[from + 2], got[3 * i], "point " + i + " lane 0");
            assertEquals(lanes[from + 1], got[3 * i + 1], "point " + i + " lane 1");
            assertEquals(lanes[from] + i, got[3 * i + 2], 1e-6, "point " + i + " lane 2");
            assertEquals(2 * scalars.getArray().get(X * Y - 1 - i), doubled.getArray().get(i), "scalar point " + i);
        }
    }

    @ParameterizedTest(name = "ImageFloat3, ImageFloat4 and ImageFloat8 on {0}")
    @MethodSource("devices")
    void floatVectorImages(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        ImageFloat4 in4 = new ImageFloat4(X, Y), out4 = new ImageFloat4(X, Y), want4 = new ImageFloat4(X, Y);
        ImageFloat3 in3 = new ImageFloat3(X, Y), out3 = new ImageFloat3(X, Y), want3 = new ImageFloat3(X, Y);
        ImageFloat8 in8 = new ImageFloat8(X, Y), out8 = new ImageFloat8(X, Y), want8 = new ImageFloat8(X, Y);
        for (var array : List.of(in4.getArray(), in3.getArray(), in8.getArray())) {
            for (int i = 0; i < array.getSize(); i++) {
                array.set(i, (float) r.nextDouble(-1, 1));
            }
        }
        out4.fill(Float.NaN);
        out3.fill(Float.NaN);
        out8.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in4, in3, in8)
                .task("flip", TornadoImagesTest::flip, in4, out4).task("cross", TornadoImagesTest::crossWithX, in3, out3)
                .task("mirror", TornadoImagesTest::mirror, in8, out8).transferToHost(DataTransferMode.EVERY_EXECUTION, out4, out3, out8));
        flip(in4, want4);
        crossWithX(in3, want3);
        mirror(in8, want8);
        assertSameArrays(want4.getArray().toHeapArray(), out4.getArray().toHeapArray(), "ImageFloat4");
        assertSameArrays(want3.getArray().toHeapArray(), out3.getArray().toHeapArray(), "ImageFloat3");
        assertSameArrays(want8.getArray().toHeapArray(), out8.getArray().toHeapArray(), "ImageFloat8");
    }

    @ParameterizedTest(name = "ImageByte3 and ImageByte4 wrap as Java does on {0}")
    @MethodSource("devices")
    void byteImagesWrapAsJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        ImageByte3 in = new ImageByte3(X, Y), out = new ImageByte3(X, Y), want = new ImageByte3(X, Y);
        ImageByte4 four = new ImageByte4(X, Y), fourOut = new ImageByte4(X, Y), fourWant = new ImageByte4(X, Y);
        for (int i = 0; i < in.getArray().getSize(); i++) {
            in.getArray().set(i, (byte) r.nextInt());
        }
        for (int i = 0; i < four.getArray().getSize(); i++) {
            four.getArray().set(i, (byte) r.nextInt());
        }
        out.fill((byte) 77);
        fourOut.fill((byte) 77);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in, four)
                .task("bytes", TornadoImagesTest::shiftBytes, in, out, four, fourOut).transferToHost(DataTransferMode.EVERY_EXECUTION, out, fourOut));
        shiftBytes(in, want, four, fourWant);
        for (int y = 0; y < Y; y++) {
            for (int x = 0; x < X; x++) {
                assertEquals(want.get(x, y).toString(), out.get(x, y).toString(), "Byte3 (" + x + ", " + y + ")");
                assertEquals(fourWant.get(x, y).toString(), fourOut.get(x, y).toString(), "Byte4 (" + x + ", " + y + ")");
            }
        }
    }

    @ParameterizedTest(name = "VolumeShort2 over x, y and a loop over z on {0}")
    @MethodSource("devices")
    void shortVolume(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        VolumeShort2 in = new VolumeShort2(X, Y, Z), out = new VolumeShort2(X, Y, Z), want = new VolumeShort2(X, Y, Z);
        ImageFloat sums = new ImageFloat(X, Y), wantSums = new ImageFloat(X, Y);
        for (int i = 0; i < in.getArray().getSize(); i++) {
            in.getArray().set(i, (short) r.nextInt());
        }
        out.fill((short) 7);
        sums.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("volume", TornadoImagesTest::volume, in, out, sums).transferToHost(DataTransferMode.EVERY_EXECUTION, out, sums));
        volume(in, want, wantSums);
        assertEquals(java.util.Arrays.toString(want.getArray().toHeapArray()), java.util.Arrays.toString(out.getArray().toHeapArray()));
        assertSameArrays(wantSums.getArray().toHeapArray(), sums.getArray().toHeapArray(), "sums");
    }

    @ParameterizedTest(name = "fill of images and a volume as tasks on {0}")
    @MethodSource("devices")
    void fillAsATask(String id) throws Exception {
        ImageFloat4 floats = new ImageFloat4(X, Y);
        ImageByte3 bytes = new ImageByte3(X, Y);
        VolumeShort2 shorts = new VolumeShort2(X, Y, Z);
        floats.fill(Float.NaN);
        execute(id, new TaskGraph("s").task("f", floats::fill, 2.5f).task("b", bytes::fill, (byte) -3).task("v", shorts::fill, (short) 1234)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, floats, bytes, shorts));
        for (int i = 0; i < floats.size(); i++) {
            assertEquals(2.5f, floats.getArray().get(i), "float " + i);
        }
        for (int i = 0; i < bytes.size(); i++) {
            assertEquals((byte) -3, bytes.getArray().get(i), "byte " + i);
        }
        for (int i = 0; i < shorts.size(); i++) {
            assertEquals((short) 1234, shorts.getArray().get(i), "short " + i);
        }
    }

    /** Equal where Java's float arithmetic is exact on every device (no fused multiply-add changes these sums). */
    private static void assertSameArrays(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5f * Math.max(1, Math.abs(want[i])), what + " element " + i);
        }
    }
}

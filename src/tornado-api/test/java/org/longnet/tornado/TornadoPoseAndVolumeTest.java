package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat3;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat4;
import uk.ac.manchester.tornado.api.types.matrix.Matrix4x4Float;
import uk.ac.manchester.tornado.api.types.utils.VolumeOps;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Short2;
import uk.ac.manchester.tornado.api.types.volumes.VolumeShort2;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Matrix4x4Float} (a kernel argument that helpers receive too; its rows, columns, diagonal and elements read in
 * kernels, and written by index) and {@link VolumeOps} ({@code interp} and {@code grad} of a {@link VolumeShort2}, called
 * from a kernel) on every test device, against references written in plain Java on the host. Outputs are poisoned
 * beforehand, and the point counts are no multiples of a work-group's.
 */
@DeviceTest
class TornadoPoseAndVolumeTest {
    private static final int POINTS = 301;
    /** The volume's voxels, no two extents alike, so that axes cannot trade places unseen. */
    private static final int X = 7, Y = 5, Z = 6;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /**
     * Each point p: (row 0 . p, summed as its first three lanes and its last, row 1 . p, column 2 . p, diag . p + m(1, 2)
     * + element 7 through a helper).
     */
    static void transform(Matrix4x4Float m, VectorFloat4 points, VectorFloat4 out) {
        for (@Parallel int i = 0; i < points.getLength(); i++) {
            Float4 p = points.get(i);
            float first = Float3.dot(m.row(0).asFloat3(), p.asFloat3()) + m.row(0).getW() * p.getW();
            out.set(i, new Float4(first, Float4.dot(m.row(1), p), Float4.dot(m.column(2), p),
                    Float4.dot(m.diag(), p) + m.get(1, 2) + elementSeven(m)));
        }
    }

    private static float elementSeven(Matrix4x4Float m) {
        return m.get(7) * m.getNumRows() - m.getNumColumns();
    }

    /** out = in's transpose, written element by element through set(index, v). */
    static void transpose(Matrix4x4Float in, Matrix4x4Float out) {
        for (@Parallel int k = 0; k < out.size(); k++) {
            out.set(k, in.get(k % 4, k / 4));
        }
    }

    /** Each point: (grad, interp) of the volume there; the volume's extent in world units is dims' vector 0. */
    static void sample(VolumeShort2 volume, VectorFloat3 dims, VectorFloat3 points, VectorFloat4 out) {
        for (@Parallel int i = 0; i < points.getLength(); i++) {
            Float3 g = VolumeOps.grad(volume, dims.get(0), points.get(i));
            out.set(i, new Float4(g.getX(), g.getY(), g.getZ(), VolumeOps.interp(volume, dims.get(0), points.get(i))));
        }
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    @ParameterizedTest(name = "Matrix4x4Float rows, columns and elements on {0}")
    @MethodSource("devices")
    void poseInKernelsAndHelpers(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        float[] m = new float[16];
        Matrix4x4Float pose = new Matrix4x4Float();
        for (int k = 0; k < 16; k++) {
            m[k] = (float) r.nextDouble(-3, 3);
            pose.set(k / 4, k % 4, m[k]);
        }
        VectorFloat4 points = new VectorFloat4(POINTS), out = new VectorFloat4(POINTS);
        for (int i = 0; i < points.size(); i++) {
            points.getArray().set(i, (float) r.nextDouble(-10, 10));
        }
        out.fill(Float.NaN);
        Matrix4x4Float transposed = new Matrix4x4Float();
        transposed.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, pose, points)
                .task("t", TornadoPoseAndVolumeTest::transform, pose, points, out).task("u", TornadoPoseAndVolumeTest::transpose, pose, transposed)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, transposed));
        float[] p = points.getArray().toHeapArray();
        for (int i = 0; i < POINTS; i++) {
            double[] want = new double[4];
            for (int l = 0; l < 4; l++) {
                double v = p[4 * i + l];
                want[0] += m[l] * v;
                want[1] += m[4 + l] * v;
                want[2] += m[4 * l + 2] * v;
                want[3] += m[5 * l] * v;
            }
            want[3] += m[6] + m[7] * 4.0 - 4;
            for (int l = 0; l < 4; l++) {
                assertEquals(want[l], out.get(i).get(l), 1e-3, "point " + i + " lane " + l);
            }
        }
        for (int k = 0; k < 16; k++) {
            assertEquals(m[(k % 4) * 4 + k / 4], transposed.get(k), "transposed element " + k);
        }
    }

    @ParameterizedTest(name = "VolumeOps.interp and grad on {0}")
    @MethodSource("devices")
    void volumeSampling(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(22);
        VolumeShort2 volume = new VolumeShort2(X, Y, Z);
        for (int z = 0; z < Z; z++) {
            for (int y = 0; y < Y; y++) {
                for (int x = 0; x < X; x++) {
                    volume.set(x, y, z, new Short2((short) r.nextInt(-32766, 32767), (short) r.nextInt(0, 100)));
                }
            }
        }
        Float3 dim = new Float3(1.4f, 2.5f, 0.9f);
        VectorFloat3 dims = new VectorFloat3(1);
        dims.set(0, dim);
        VectorFloat3 points = new VectorFloat3(POINTS);
        for (int i = 0; i < POINTS; i++) {
            points.set(i, new Float3((float) r.nextDouble(0, dim.getX()), (float) r.nextDouble(0, dim.getY()), (float) r.nextDouble(0, dim.getZ())));
        }
        VectorFloat4 out = new VectorFloat4(POINTS);
        out.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, volume, dims, points)
                .task("t", TornadoPoseAndVolumeTest::sample, volume, dims, points, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        for (int i = 0; i < POINTS; i++) {
            double[] want = reference(volume, dim, points.get(i));
            for (int l = 0; l < 4; l++) {
                assertEquals(want[l], out.get(i).get(l), 1e-5 + 1e-4 * Math.abs(want[l]), "point " + i + " lane " + l);
            }
        }
    }

    /**
     * (gradient, value) at {@code p}, in doubles: the voxel grid's cell around p, each axis's four indices around its
     * base (b - 1, b, b + 1, b + 2) clamped to the volume; the value interpolates the cell's corners (b, b + 1), a
     * gradient component the differences (b + 1) - (b - 1) and (b + 2) - b along its axis, scaled to world units.
     */
    private static double[] reference(VolumeShort2 v, Float3 dim, Float3 p) {
        int[] size = {X, Y, Z};
        double[] scaled = {p.getX() * X / (double) dim.getX() - 0.5, p.getY() * Y / (double) dim.getY() - 0.5, p.getZ() * Z / (double) dim.getZ() - 0.5};
        int[][] at = new int[3][4];
        double[] f = new double[3];
        for (int a = 0; a < 3; a++) {
            int b = (int) Math.floor(scaled[a]);
            f[a] = scaled[a] - b;
            at[a] = new int[] {Math.max(b - 1, 0), Math.max(b, 0), Math.min(b + 1, size[a] - 1), Math.min(b + 2, size[a] - 1)};
        }
        double[] out = new double[4];
        for (int corner = 0; corner < 8; corner++) {
            int[] s = {corner & 1, (corner >> 1) & 1, (corner >> 2) & 1};
            double w = 1;
            int[] c = new int[3];
            for (int a = 0; a < 3; a++) {
                w *= s[a] == 0 ? 1 - f[a] : f[a];
                c[a] = at[a][1 + s[a]];
            }
            out[3] += w * voxel(v, c);
            for (int a = 0; a < 3; a++) {
                int[] to = c.clone(), from = c.clone();
                to[a] = at[a][2 + s[a]];
                from[a] = at[a][s[a]];
                out[a] += w * (voxel(v, to) - voxel(v, from));
            }
        }
        double scale = 0.00003051944088;
        out[3] *= scale;
        double[] worldDim = {dim.getX(), dim.getY(), dim.getZ()};
        for (int a = 0; a < 3; a++) {
            out[a] *= worldDim[a] / size[a] * 0.5 * scale;
        }
        return out;
    }

    private static double voxel(VolumeShort2 v, int[] c) {
        return v.get(c[0], c[1], c[2]).getX();
    }
}

package org.longnet.engine.translator;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.ShortArray;
import org.longnet.engine.translator.FuzzOutputs.Output;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One generated kernel: its seed (which alone decides everything here), the Java source of the kernel
 * and its helpers, its parameters in order, its size {@code n} (every array's length) and its
 * work-group size ({@code local}: a {@code KernelContext} kernel's, or null for the device's default).
 */
record FuzzKernel(long seed, Shape shape, String source, List<Param> params, int n, long[] local) {
    enum Shape { PARALLEL, PARALLEL_2D, CONTEXT, SINGLE }

    enum Role { CONTEXT, FLOATS, INTS, HALVES, BF16S, SHORTS, OUTPUT, SCALAR }

    /** A parameter: {@code output} is set for outputs, {@code value} (Integer, Long, Float, Double, Boolean) for scalars. */
    record Param(String name, Role role, Output output, Object value) {
        String javaType() {
            return switch (role) {
                case CONTEXT -> "KernelContext";
                case FLOATS -> "FloatArray";
                case INTS -> "IntArray";
                case HALVES -> "HalfFloatArray";
                case BF16S -> "BFloat16Array";
                case SHORTS -> "ShortArray";
                case OUTPUT -> output.javaType();
                case SCALAR -> switch (value) {
                    case Integer i -> "int";
                    case Long l -> "long";
                    case Float f -> "float";
                    case Double d -> "double";
                    default -> "boolean";
                };
            };
        }
    }

    /** Poison in outputs: an element a kernel leaves alone keeps it; none is NaN, since any NaN matches any NaN. */
    static final int POISON_INT = 0xDEADBEEF;
    static final float POISON_FLOAT = Float.intBitsToFloat(0xDEADBEEF);
    static final short POISON_16 = (short) 0xDEAD;

    String name() {
        return "k" + seed;
    }

    /** The kernel's arguments: its inputs (the same arrays each call, never written), fresh poisoned outputs. */
    Object[] arguments(List<DeviceArray> inputs) {
        List<Object> args = new ArrayList<>();
        int input = 0;
        for (Param p : params) {
            args.add(switch (p.role()) {
                case CONTEXT -> new KernelContext();
                case FLOATS, INTS, HALVES, BF16S, SHORTS -> inputs.get(input++);
                case OUTPUT -> poisoned(p.output());
                case SCALAR -> p.value();
            });
        }
        return args.toArray();
    }

    /** The input arrays, random from the seed. */
    List<DeviceArray> inputs() {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        FloatArray floats = new FloatArray(n);
        IntArray ints = new IntArray(n);
        HalfFloatArray halves = new HalfFloatArray(n);
        BFloat16Array bf16s = new BFloat16Array(n);
        ShortArray shorts = new ShortArray(n);
        for (int i = 0; i < n; i++) {
            floats.set(i, FuzzValues.aFloat(r));
            ints.set(i, FuzzValues.anInt(r));
            halves.set(i, FuzzValues.aFloat(r));
            bf16s.set(i, FuzzValues.aFloat(r));
            shorts.set(i, (short) FuzzValues.anInt(r));
        }
        return List.of(floats, ints, halves, bf16s, shorts);
    }

    private DeviceArray poisoned(Output o) {
        return switch (o.kind()) {
            case INT -> {
                IntArray a = new IntArray(n);
                a.fill(POISON_INT);
                yield a;
            }
            case FLOAT, APPROXIMATE -> {
                FloatArray a = new FloatArray(n);
                a.fill(POISON_FLOAT);
                yield a;
            }
            case HALF -> {
                HalfFloatArray a = new HalfFloatArray(n);
                for (int i = 0; i < n; i++) {
                    a.set(i, Float.float16ToFloat(POISON_16));
                }
                yield a;
            }
            case BF16 -> {
                BFloat16Array a = new BFloat16Array(n);
                for (int i = 0; i < n; i++) {
                    a.set(i, BFloat16Array.toFloat(POISON_16));
                }
                yield a;
            }
            case SHORT -> {
                ShortArray a = new ShortArray(n);
                a.fill(POISON_16);
                yield a;
            }
        };
    }
}

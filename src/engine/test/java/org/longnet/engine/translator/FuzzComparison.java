package org.longnet.engine.translator;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.ShortArray;
import org.longnet.engine.translator.FuzzKernel.Param;
import org.longnet.engine.translator.FuzzKernel.Role;
import org.longnet.engine.translator.FuzzOutputs.Approximate;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's outputs against the reference's: integers and exact floats bit for bit (any NaN equal to
 * any NaN, +0 unequal to -0), approximate outputs within their function's bound, and the poison of an
 * element one side left alone equal to nothing but that poison.
 */
final class FuzzComparison {
    private static final int SHOWN = 4;

    private FuzzComparison() {
    }

    /** Lines describing the first few differing elements of each output; empty when all agree. */
    static List<String> differences(FuzzKernel k, Object[] got, Object[] want) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < k.params().size(); p++) {
            Param param = k.params().get(p);
            if (param.role() != Role.OUTPUT) {
                continue;
            }
            int shown = 0, count = 0;
            for (int i = 0; i < k.n(); i++) {
                String d = difference(param, got[p], want[p], i);
                if (d != null) {
                    count++;
                    if (shown++ < SHOWN) {
                        out.add("  " + param.name() + "[" + i + "] " + d);
                    }
                }
            }
            if (count > SHOWN) {
                out.add("  ... " + count + " elements of " + param.name() + " differ");
            }
        }
        return out;
    }

    private static String difference(Param p, Object got, Object want, int i) {
        return switch (p.output().kind()) {
            case INT -> {
                int g = ((IntArray) got).get(i), w = ((IntArray) want).get(i);
                yield g == w ? null : "= " + g + " (0x" + Integer.toHexString(g) + "), expected " + w + " (0x" + Integer.toHexString(w) + ")";
            }
            case SHORT -> {
                short g = ((ShortArray) got).get(i), w = ((ShortArray) want).get(i);
                yield g == w ? null : "= " + g + ", expected " + w;
            }
            case FLOAT -> floats(((FloatArray) got).get(i), ((FloatArray) want).get(i), null);
            case APPROXIMATE -> floats(((FloatArray) got).get(i), ((FloatArray) want).get(i), p.output().function());
            case HALF -> floats(((HalfFloatArray) got).get(i), ((HalfFloatArray) want).get(i), null);
            case BF16 -> floats(((BFloat16Array) got).get(i), ((BFloat16Array) want).get(i), null);
        };
    }

    private static String floats(float got, float want, Approximate f) {
        if (Float.floatToIntBits(got) == Float.floatToIntBits(want)) {
            return null;
        }
        boolean poison = isPoison(got) || isPoison(want);
        if (f != null && !poison && Float.isFinite(got) && Float.isFinite(want)
                && Math.abs((double) got - want) <= f.atol() + f.rtol() * Math.abs(want)) {
            return null;
        }
        return "= " + describe(got) + ", expected " + describe(want)
                + (f == null || poison ? "" : " (" + f.name() + ": within " + f.rtol() + " relative + " + f.atol() + ")");
    }

    private static boolean isPoison(float v) {
        return Float.floatToRawIntBits(v) == Float.floatToRawIntBits(FuzzKernel.POISON_FLOAT)
                || Float.floatToRawIntBits(v) == Float.floatToRawIntBits(Float.float16ToFloat(FuzzKernel.POISON_16))
                || Float.floatToRawIntBits(v) == Float.floatToRawIntBits(BFloat16Array.toFloat(FuzzKernel.POISON_16));
    }

    private static String describe(float v) {
        return (isPoison(v) ? "the poison (never written) " : "") + v + " (0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")";
    }
}

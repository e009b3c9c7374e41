package org.longnet.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides what a training run computes; saved in each checkpoint so that
 * {@code --resume} continues the very same run.
 */
public record TrainSettings(String data, int batch, int seqLen, long steps, double lr, long warmup, long evalEvery,
                            int evalBatches, long saveEvery, long seed, boolean recompute) {
    public TrainSettings {
        positive("--batch", batch);
        positive("--seq-len", seqLen);
        positive("--steps", steps);
        positive("--eval-every", evalEvery);
        positive("--eval-batches", evalBatches);
        positive("--save-every", saveEvery);
        if (!(lr > 0 && lr < 1)) {
            throw new IllegalArgumentException("--lr must be in (0, 1), was " + lr);
        }
        if (warmup < 0 || warmup > steps) {
            throw new IllegalArgumentException("--warmup must be between 0 and --steps (" + steps + "), was " + warmup);
        }
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("batch", batch);
        m.put("seq_len", seqLen);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("warmup", warmup);
        m.put("eval_every", evalEvery);
        m.put("eval_batches", evalBatches);
        m.put("save_every", saveEvery);
        m.put("seed", seed);
        m.put("recompute", recompute);
        return m;
    }

    static TrainSettings fromJson(Map<?, ?> m) {
        return new TrainSettings(String.valueOf(m.get("data")), num(m, "batch").intValue(), num(m, "seq_len").intValue(),
                num(m, "steps").longValue(), num(m, "lr").doubleValue(), num(m, "warmup").longValue(),
                num(m, "eval_every").longValue(), num(m, "eval_batches").intValue(), num(m, "save_every").longValue(),
                num(m, "seed").longValue(), Boolean.TRUE.equals(m.get("recompute")));
    }

    private static Number num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("training state: " + key + " must be a number, was " + m.get(key));
        }
        return n;
    }
}

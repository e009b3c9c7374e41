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
        if (!(m.get("data") instanceof String data)) {
            throw new IllegalArgumentException("data must be a string, was " + m.get("data"));
        }
        return new TrainSettings(data, integer(m, "batch"), integer(m, "seq_len"), whole(m, "steps"), num(m, "lr").doubleValue(),
                whole(m, "warmup"), whole(m, "eval_every"), integer(m, "eval_batches"), whole(m, "save_every"), whole(m, "seed"),
                Boolean.TRUE.equals(m.get("recompute")));
    }

    /** The same settings with the data at another path (a run's text that moved). */
    public TrainSettings withData(String path) {
        return new TrainSettings(path, batch, seqLen, steps, lr, warmup, evalEvery, evalBatches, saveEvery, seed, recompute);
    }

    private static Number num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, was " + m.get(key));
        }
        return n;
    }

    private static long whole(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Long v)) {
            throw new IllegalArgumentException(key + " must be an integer, was " + m.get(key));
        }
        return v;
    }

    private static int integer(Map<?, ?> m, String key) {
        long v = whole(m, key);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be an integer from 1 to " + Integer.MAX_VALUE + ", was " + v);
        }
        return (int) v;
    }
}

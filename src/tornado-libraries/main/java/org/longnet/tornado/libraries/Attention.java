package org.longnet.tornado.libraries;

/** cuDNN's scaled-dot-product attention on the host: {@code O = softmax(Q K^T * scale [causal]) V} per batch and head. */
final class Attention {
    private Attention() {
    }

    /** Parameters q, k, v, o (BHSD), b, h, sQ, sKv, d, scale, causal; a causal query i sees keys 0 .. i. */
    static void forward(Call call) {
        int b = CuDnnLibrary.atLeast(call, 4, "b", 0), h = CuDnnLibrary.atLeast(call, 5, "h", 0);
        int sq = CuDnnLibrary.atLeast(call, 6, "sQ", 0), skv = CuDnnLibrary.atLeast(call, 7, "sKv", 1), d = CuDnnLibrary.atLeast(call, 8, "d", 1);
        double scale = call.real(9);
        boolean causal = call.flag(10);
        long heads = (long) b * h;
        Elements q = call.elements(0).needs(call.name() + " q", heads * sq * d), k = call.elements(1).needs(call.name() + " k", heads * skv * d);
        Elements v = call.elements(2).needs(call.name() + " v", heads * skv * d), o = call.elements(3).needs(call.name() + " o", heads * sq * d);
        double[] scores = new double[skv];
        for (int head = 0; head < heads; head++) {
            int qBase = head * sq * d, kvBase = head * skv * d;
            for (int i = 0; i < sq; i++) {
                int seen = causal ? Math.min(skv, i + 1) : skv;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < seen; j++) {
                    double dot = 0;
                    for (int x = 0; x < d; x++) {
                        dot += q.get(qBase + i * d + x) * k.get(kvBase + j * d + x);
                    }
                    scores[j] = dot * scale;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < seen; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int x = 0; x < d; x++) {
                    double acc = 0;
                    for (int j = 0; j < seen; j++) {
                        acc += scores[j] * v.get(kvBase + j * d + x);
                    }
                    o.set(qBase + i * d + x, acc / sum);
                }
            }
        }
    }
}

package org.longnet.attention;

import java.util.List;

/**
 * Float64 references for dilated attention, straight from docs/longnet-math.md. Arrays are
 * {@code [B][N][H][D]} flattened, like the kernels'.
 */
final class Reference {
    private Reference() {
    }

    /** §1 and §2.1: each pair's blocks with their own softmax, then mixing by log-sum-exp weights. */
    static double[] mixture(double[] q, double[] k, double[] v, int b, int n, int h, int d, List<DilatedPair> pairs, boolean causal) {
        double c = 1 / Math.sqrt(d);
        double[] out = new double[q.length];
        for (int bb = 0; bb < b; bb++) {
            for (int j = 0; j < h; j++) {
                double[][] pairOut = new double[pairs.size()][];
                double[][] pairLse = new double[pairs.size()][];
                for (int i = 0; i < pairs.size(); i++) {
                    pairOut[i] = new double[n * d];
                    pairLse[i] = new double[n];
                    java.util.Arrays.fill(pairLse[i], Double.NEGATIVE_INFINITY);
                    DilatedPair p = pairs.get(i);
                    int w = p.effectiveLength(n), r = p.dilationRate(), o = j % r;
                    for (int s = 0; s * w < n; s++) {
                        java.util.List<Integer> sel = new java.util.ArrayList<>();
                        for (int m = 0; o + m * r < w && s * w + o + m * r < n; m++) {
                            sel.add(s * w + o + m * r);
                        }
                        for (int a = 0; a < sel.size(); a++) {
                            int last = causal ? a : sel.size() - 1;
                            double[] z = new double[last + 1];
                            double max = Double.NEGATIVE_INFINITY;
                            for (int t = 0; t <= last; t++) {
                                z[t] = c * dot(q, at(bb, sel.get(a), j, n, h, d), k, at(bb, sel.get(t), j, n, h, d), d);
                                max = Math.max(max, z[t]);
                            }
                            double sum = 0;
                            for (int t = 0; t <= last; t++) {
                                sum += Math.exp(z[t] - max);
                            }
                            double lse = max + Math.log(sum);
                            for (int t = 0; t <= last; t++) {
                                double weight = Math.exp(z[t] - lse);
                                for (int e = 0; e < d; e++) {
                                    pairOut[i][sel.get(a) * d + e] += weight * v[at(bb, sel.get(t), j, n, h, d) + e];
                                }
                            }
                            pairLse[i][sel.get(a)] = lse;
                        }
                    }
                }
                for (int pos = 0; pos < n; pos++) {
                    double top = Double.NEGATIVE_INFINITY;
                    for (double[] l : pairLse) {
                        top = Math.max(top, l[pos]);
                    }
                    if (top == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double total = 0;
                    for (double[] l : pairLse) {
                        total += Math.exp(l[pos] - top);
                    }
                    double mixed = top + Math.log(total);
                    for (int i = 0; i < pairs.size(); i++) {
                        double alpha = Math.exp(pairLse[i][pos] - mixed);
                        for (int e = 0; e < d; e++) {
                            out[at(bb, pos, j, n, h, d) + e] += alpha * pairOut[i][pos * d + e];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** §2.2: one softmax over all keys with a bias ln C(p, p'), C the number of pairs linking them. */
    static double[] countBias(double[] q, double[] k, double[] v, int b, int n, int h, int d, List<DilatedPair> pairs, boolean causal) {
        double c = 1 / Math.sqrt(d);
        double[] out = new double[q.length];
        for (int bb = 0; bb < b; bb++) {
            for (int j = 0; j < h; j++) {
                for (int p = 0; p < n; p++) {
                    double[] logits = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t < n; t++) {
                        int count = 0;
                        for (DilatedPair pair : pairs) {
                            int w = pair.effectiveLength(n), r = pair.dilationRate(), o = j % r;
                            boolean sameSegment = p / w == t / w;
                            if (sameSegment && (p % w) % r == o && (t % w) % r == o && (!causal || t <= p)) {
                                count++;
                            }
                        }
                        logits[t] = count == 0 ? Double.NEGATIVE_INFINITY
                                : c * dot(q, at(bb, p, j, n, h, d), k, at(bb, t, j, n, h, d), d) + Math.log(count);
                        max = Math.max(max, logits[t]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double sum = 0;
                    for (double l : logits) {
                        sum += Math.exp(l - max);
                    }
                    for (int t = 0; t < n; t++) {
                        double weight = Math.exp(logits[t] - max) / sum;
                        for (int e = 0; e < d; e++) {
                            out[at(bb, p, j, n, h, d) + e] += weight * v[at(bb, t, j, n, h, d) + e];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Standard (dense) multi-head attention. */
    static double[] vanilla(double[] q, double[] k, double[] v, int b, int n, int h, int d, boolean causal) {
        return countBias(q, k, v, b, n, h, d, List.of(new DilatedPair(n, 1)), causal);
    }

    static int at(int b, int p, int j, int n, int h, int d) {
        return ((b * n + p) * h + j) * d;
    }

    private static double dot(double[] x, int xi, double[] y, int yi, int d) {
        double s = 0;
        for (int e = 0; e < d; e++) {
            s += x[xi + e] * y[yi + e];
        }
        return s;
    }
}

package org.longnet.model;

/**
 * The paper's schedule: linear warm-up to {@code peak} over {@code warmup} steps, then polynomial
 * decay (power 1: linear) towards {@code end}, which it reaches one step after the last ({@code total}
 * + 1), so that every step of the run, the last included, moves the weights. Steps count from 1.
 */
public record LearningRate(double peak, double end, long warmup, long total, double power) {
    public LearningRate {
        if (!(peak > 0) || end < 0 || end > peak) {
            throw new IllegalArgumentException("learning rates must satisfy 0 <= end <= peak and peak > 0; were peak " + peak + ", end " + end);
        }
        if (warmup < 0 || total < 1 || warmup > total) {
            throw new IllegalArgumentException("need 0 <= warm-up steps <= total steps and total >= 1; were " + warmup + " and " + total);
        }
    }

    public double at(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1, was " + step);
        }
        if (step <= warmup) {
            return peak * step / warmup;
        }
        double left = Math.max(0, 1 - (double) (step - warmup) / (total - warmup + 1));
        return end + (peak - end) * Math.pow(left, power);
    }
}

package org.longnet.model;

import org.longnet.engine.api.FloatArray;

/**
 * One named weight tensor of the model with what training needs beside it: its gradient and
 * AdamW's two moments, all fp32 and of the same size.
 */
public final class Parameter {
    private final String name;
    private final long[] shape;
    private final FloatArray value, grad, m, v;

    Parameter(String name, long... shape) {
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = new FloatArray(size);
        this.grad = new FloatArray(size);
        this.m = new FloatArray(size);
        this.v = new FloatArray(size);
    }

    /** Name in the safetensors file, like {@code layers.0.attn.q.weight}. */
    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        return value.getSize();
    }

    public FloatArray value() {
        return value;
    }

    public FloatArray grad() {
        return grad;
    }

    /** AdamW's first moment. */
    public FloatArray m() {
        return m;
    }

    /** AdamW's second moment. */
    public FloatArray v() {
        return v;
    }

    /** Matrices get weight decay; biases and norm gains do not (the usual AdamW practice). */
    boolean decays() {
        return shape.length == 2;
    }
}

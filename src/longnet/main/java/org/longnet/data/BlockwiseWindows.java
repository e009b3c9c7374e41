package org.longnet.data;

/**
 * How a context longer than a model's trained length is read the way the paper evaluates such lengths: blockwise
 * causal attention (BCA, from the XPOS paper), in which each query sees its own block of half the trained length and
 * the block before. Here it is done with whole windows of the trained length: a stretch of {@code length} bytes is
 * read through windows that start half a window apart (the last one ends where the stretch ends), and each byte is
 * scored in the first window that holds it, past the bytes the window before scored. So a byte sees all the bytes
 * before it in the first window and between half a window and a whole one of them after that, and every byte of the
 * stretch is scored once. It differs from BCA inside the model in one way: the bytes a window starts with see only that
 * window, where BCA's deeper layers would carry some context from further back.
 */
public record BlockwiseWindows(int length, int trained) {
    /** {@code length} bytes read through windows of {@code trained} bytes; only lengths longer than the trained one need them. */
    public BlockwiseWindows {
        if (trained < 2 || length <= trained) {
            throw new IllegalArgumentException("blockwise windows read a length longer than the trained one, at least 2: length " + length
                    + ", trained " + trained);
        }
    }

    /** Half a window: how far each window starts after the one before (but the last). */
    public int step() {
        return trained / 2;
    }

    /** Windows of {@link #trained} bytes for one stretch of {@link #length} bytes. */
    public int count() {
        return 1 + Math.ceilDiv(length - trained, step());
    }

    /** The first byte of window {@code k}, from the start of the stretch. */
    public int start(int k) {
        return Math.min(k * step(), length - trained);
    }

    /** The first byte that window {@code k} scores, counted within the window: those before it were scored by window k - 1. */
    public int scoredFrom(int k) {
        return k == 0 ? 0 : start(k - 1) + trained - start(k);
    }
}

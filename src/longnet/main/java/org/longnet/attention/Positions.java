package org.longnet.attention;

/** How queries and keys learn where they are (spec §6). */
public enum Positions {
    /** No positional rotation. */
    NONE,
    /** Rotary embeddings (RoPE) on queries and keys. */
    ROTARY,
    /**
     * XPOS: rotary plus a per-frequency decay. Its factors leave the fp32 range beyond about 65K
     * tokens (spec §6), so longer sequences are refused.
     */
    XPOS;

    static final int XPOS_MAX_LENGTH = 65_536;

    /** The rotary base of RoFormer and the paper: channel pair f turns by position * base^(-2f/D). */
    public static final float DEFAULT_ROTARY_BASE = 10_000f;
}

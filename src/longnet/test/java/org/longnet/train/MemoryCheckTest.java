package org.longnet.train;

import org.junit.jupiter.api.Test;
import org.longnet.attention.Positions;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelMemory;
import org.longnet.model.ModelWeights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes are checked against the memory that exists before anything is allocated, in one line that names
 * the sizes and what would fit. These checks allocate nothing, so sizes of terabytes are safe to ask about; the host's
 * available memory is fixed here, so what fits does not change as other processes come and go.
 */
class MemoryCheckTest {
    private static final Device JVM = Devices.jvm();

    /** What the host has available in these tests: fixed, so that what fits does not change while a test runs. */
    private static final long HOST = 16L << 30;

    private static MemoryCheck check(ModelConfig config) {
        return new MemoryCheck(config, LongNetModel.Options.defaults(JVM, config), 1, JVM, "--preset test", () -> HOST);
    }

    @Test
    void tokensBeyondWhatOnePassTakesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check(ModelConfig.tiny()).training(1_000_000_000, 256, 0, MemoryCheck.Names.options()));
        assertTrue(e.getMessage().startsWith("--batch 1000000000 x --seq-len 256 is 256,000,000,000 tokens per step; the model takes at "
                + "most 8,388,607 (its widest activation must stay below 2^31 elements); at most --batch "), e.getMessage());
        int largest = largest(e.getMessage(), "at most --batch ([0-9,]+) fits at this --seq-len$");
        assertTrue(largest >= 1 && largest <= 8_388_607 / 256, e.getMessage());
        check(ModelConfig.tiny()).training(largest, 256, 0, MemoryCheck.Names.options());
        e = assertThrows(IllegalArgumentException.class, () -> check(ModelConfig.tiny()).windows(2_000_000_000, 0, "--window"));
        assertEquals("--window 2,000,000,000 is more tokens than the model takes in one pass: at most 8,388,607 (its widest activation "
                + "must stay below 2^31 elements)", e.getMessage());
    }

    /**
     * Within the token limit but beyond memory: refused, and the largest batch (or window) it names fits while one
     * more does not. The model is deep and narrow, so that its parameters fit any machine and its activations none.
     */
    @Test
    void aBatchBeyondMemoryIsRefusedWithTheLargestThatFits() {
        ModelConfig deep = new ModelConfig(64, 256, 4, 1024, 256, new int[] {2048, 8192}, new int[] {1, 4}, Positions.ROTARY, true);
        MemoryCheck check = check(deep);
        int batch = 255; // 255 x 8192 tokens: just within the 2^31 / 1024 of the feed-forward activation
        long need = LongNetModel.activationBytes(deep, LongNetModel.Options.defaults(JVM, deep), batch, 8192, 1);
        assertTrue(need > 100 * HOST, ModelMemory.gib(need));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.training(batch, 8192, 6_000_000, MemoryCheck.Names.options()));
        String m = e.getMessage();
        assertTrue(m.startsWith("--batch 255 x --seq-len 8192 needs ") && m.contains(" of memory (parameters with gradients and moments ")
                && m.contains(" is available; "), m);
        int largest = largest(m, "at most --batch ([0-9,]+) fits at this --seq-len$");
        check.training(largest, 8192, 6_000_000, MemoryCheck.Names.options());
        assertThrows(IllegalArgumentException.class, () -> check.training(largest + 1, 8192, 6_000_000, MemoryCheck.Names.options()));

        e = assertThrows(IllegalArgumentException.class, () -> check.training(batch, 8192, 0, new MemoryCheck.Names("batch in x/state.json",
                "seq_len", false)));
        assertTrue(e.getMessage().startsWith("batch in x/state.json 255 x seq_len 8192 needs ") && e.getMessage().endsWith(
                "; a resumed run keeps its batch and sequence length: resume it on a device with more memory"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> check.windows(2_000_000, 0, "--window"));
        assertTrue(e.getMessage().startsWith("--window 2,000,000 needs "), e.getMessage());
        int w = largest(e.getMessage(), "at most --window ([0-9,]+) fits$");
        check.windows(w, 0, "--window");
        assertThrows(IllegalArgumentException.class, () -> check.windows(w + 1, 0, "--window"));
    }

    /** A model whose parameters alone do not fit is refused naming where its shape came from. */
    @Test
    void aModelTooLargeForMemoryIsRefusedAtOnce() {
        ModelConfig huge = new ModelConfig(1000, 65536, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check(huge));
        assertTrue(e.getMessage().startsWith("--preset test: a model of " + String.format("%,d", ModelMemory.parameters(huge, "x"))
                + " parameters needs ") && e.getMessage().endsWith(" and 16.00 GiB is available"), e.getMessage());
    }

    /** The count the check uses is the count the model has. */
    @Test
    void parameterCountsAreExact() {
        for (ModelConfig c : new ModelConfig[] {ModelConfig.tiny(), new ModelConfig(3, 24, 3, 40, 256, new int[] {16}, new int[] {1},
                Positions.XPOS, false)}) {
            assertEquals(new ModelWeights(c, 1).count(), ModelMemory.parameters(c, "x"), c.toString());
        }
    }

    /** The number a message's {@code pattern} captures: the largest size it says fits. */
    private static int largest(String message, String pattern) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(message);
        assertTrue(m.find(), message);
        return Integer.parseInt(m.group(1).replace(",", ""));
    }
}

package org.longnet.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void presetsSaveAndLoad() throws IOException {
        for (String name : new String[] {"tiny", "base", "passkey"}) {
            ModelConfig c = ModelConfig.preset(name);
            Path file = dir.resolve(name + ".json");
            c.save(file);
            assertEquals(c, ModelConfig.load(file));
            assertTrue(Files.readString(file).contains("\"d_model\":" + c.dModel()));
        }
        assertEquals(1e7f, ModelConfig.passkey().rotaryBase());
        assertEquals(10_000f, ModelConfig.tiny().rotaryBase());
        ModelConfig base = ModelConfig.base();
        assertEquals(12, base.layers());
        assertEquals(768, base.dModel());
        assertEquals(3072, base.ffn());
        assertTrue(base.nonEmbeddingParameters() > 84_000_000 && base.nonEmbeddingParameters() < 86_000_000,
                "about 85M non-embedding parameters, was " + base.nonEmbeddingParameters());
    }

    @Test
    void configsWrittenBeforeTheRotaryBaseLoadWithTheUsualOne() throws IOException {
        ModelConfig passkey = ModelConfig.passkey();
        String json = Files.readString(saved(passkey));
        assertTrue(json.contains("\"rotary_base\":1.0E7"), json);
        Path old = Files.writeString(dir.resolve("old.json"), json.replace("\"rotary_base\":1.0E7,", ""));
        ModelConfig loaded = ModelConfig.load(old);
        assertEquals(10_000f, loaded.rotaryBase());
        assertEquals(passkey.withAttention(passkey.segmentLengths(), passkey.dilationRates(), passkey.positions(), 10_000f), loaded);
    }

    private Path saved(ModelConfig c) throws IOException {
        Path file = dir.resolve("saved.json");
        c.save(file);
        return file;
    }

    @Test
    void badConfigsAreRefusedClearly() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("huge"));
        assertTrue(e.getMessage().contains("--preset huge is not a preset; use tiny, base or passkey"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelConfig(2, 66, 4, 64, 256, new int[] {8}, new int[] {1},
                org.longnet.attention.Positions.NONE, true));
        assertTrue(e.getMessage().contains("dModel (66) must be a multiple of heads (4)"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"architecture\": \"longnet-decoder\", \"layers\": \"two\"}");
        IOException io = assertThrows(IOException.class, () -> ModelConfig.load(broken));
        assertTrue(io.getMessage().contains("layers must be an integer, was two"), io.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.tiny().withAttention(new int[] {64}, new int[] {1},
                org.longnet.attention.Positions.ROTARY, 0.5f));
        assertTrue(e.getMessage().contains("rotaryBase must be a finite number > 1, was 0.5"), e.getMessage());
        Path badBase = Files.writeString(dir.resolve("bad-base.json"), Files.readString(saved(ModelConfig.tiny()))
                .replace("\"rotary_base\":10000.0", "\"rotary_base\":\"large\""));
        io = assertThrows(IOException.class, () -> ModelConfig.load(badBase));
        assertTrue(io.getMessage().contains("rotary_base must be a number, was large"), io.getMessage());
        Path other = Files.writeString(dir.resolve("other.json"), "{\"architecture\": \"gpt2\"}");
        io = assertThrows(IOException.class, () -> ModelConfig.load(other));
        assertTrue(io.getMessage().contains("not a LongNet model config"), io.getMessage());
    }
}

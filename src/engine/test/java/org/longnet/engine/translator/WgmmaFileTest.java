package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed {@code longnet_wgmma.cuh} is what {@link WgmmaGenerator} writes, so the two cannot drift. */
class WgmmaFileTest {
    @Test
    void committedFileIsTheGeneratorsOutput() throws IOException {
        assertEquals(WgmmaGenerator.generate(), Files.readString(WgmmaGenerator.FILE), WgmmaGenerator.FILE + " differs from what "
                + "WgmmaGenerator writes: edit the generator, not the file, then run it (from src/engine, after a build: java -cp "
                + "target/test-classes org.longnet.engine.translator.WgmmaGenerator)");
    }
}

package org.longnet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's code is the compiled example code, word for word, so it cannot drift. */
class ReadmeTest {
    @Test
    void readmeShowsTheCompiledExamples() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String file : new String[] {"Saxpy.java", "SaxpyExample.java"}) {
            String source = Files.readString(Path.of("src/main/java/org/longnet/engine/examples", file));
            int start = source.indexOf("// README:start\n"), end = source.indexOf("// README:end");
            assertTrue(start >= 0 && end > start, file + " lacks README markers");
            String region = source.substring(start + "// README:start\n".length(), end).stripTrailing();
            String dedented = region.lines().map(l -> l.length() >= indent(region) ? l.substring(indent(region)) : l.strip())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            assertTrue(readme.contains(dedented), "README.md must contain the code of " + file + " between its markers:\n" + dedented);
        }
    }

    private static int indent(String region) {
        return region.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    }
}

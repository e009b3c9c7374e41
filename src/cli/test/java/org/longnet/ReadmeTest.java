package org.longnet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's code is the compiled example code, word for word, so it cannot drift. */
class ReadmeTest {
    /** The repository's root: surefire runs each module's tests in the module's folder. */
    private static final Path ROOT = Path.of(System.getProperty("longnet.root", "../.."));

    @Test
    void readmeShowsTheCompiledExamples() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String file : new String[] {"Saxpy.java", "SaxpyExample.java"}) {
            String source = Files.readString(ROOT.resolve("src/engine/main/java/org/longnet/engine/examples").resolve(file));
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

package org.longnet.engine.translator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device runtimes ({@code longnet_runtime.cl}, {@code longnet_runtime.cuh}), read from the
 * translator's own resources. A generated file must compile without an include path (NVRTC and
 * OpenCL drivers get one string), so each {@code #include "file"} line of a runtime is replaced by
 * that resource's text.
 */
final class RuntimeFiles {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^#include \"([^\"]+)\"\n");

    private RuntimeFiles() {
    }

    static String load(String name) {
        String text = read(name);
        Matcher include = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(out, Matcher.quoteReplacement(load(include.group(1))));
        }
        return include.appendTail(out).toString();
    }

    private static String read(String name) {
        try (InputStream in = RuntimeFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the kernel translator's runtime " + name + " is missing from its class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel translator's runtime " + name, e);
        }
    }
}

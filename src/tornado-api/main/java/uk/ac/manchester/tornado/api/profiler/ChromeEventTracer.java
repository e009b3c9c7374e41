package uk.ac.manchester.tornado.api.profiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TornadoVM's Chrome tracer: with {@code -Dtornado.chrome.event.tracer.enabled=true}, the events a program records
 * here are written when the JVM exits to {@code chrome.json} (or {@code -Dtornado.chrome.event.tracer.filename}, as
 * set when the first event is recorded), in the Trace Event Format that {@code chrome://tracing} and Perfetto open:
 * each a complete event ({@code "ph":"X"}) with its start and duration in microseconds. Only the program's own events are recorded: the engine's copies and
 * kernels are in the plan's profiler ({@code withProfiler}), not here.
 */
public final class ChromeEventTracer {
    public static final String CHROME_EVENT_TRACER_ENABLED_KEY = "tornado.chrome.event.tracer.enabled";
    public static final String CHROME_EVENT_TRACER_FILENAME_KEY = "tornado.chrome.event.tracer.filename";
    private static final List<String> events = new ArrayList<>();
    private static boolean writeAtExit;

    private ChromeEventTracer() {
    }

    public static boolean isEnabled() {
        return Boolean.getBoolean(CHROME_EVENT_TRACER_ENABLED_KEY);
    }

    public static boolean isChromeEventTracerEnabled() {
        return isEnabled();
    }

    public static String getChromeEventTracerFileName() {
        return System.getProperty(CHROME_EVENT_TRACER_FILENAME_KEY, "chrome.json");
    }

    /** A task that ran from {@code startNs} to {@code endNs} ({@link System#nanoTime()}). */
    public static void enqueueTaskIfEnabled(String tag, long startNs, long endNs) {
        record(tag, "exec", startNs, endNs, -1);
    }

    public static void enqueueWriteIfEnabled(String tag, long bytes, long startNs, long endNs) {
        record(tag, "write", startNs, endNs, bytes);
    }

    public static void enqueueReadIfEnabled(String tag, long bytes, long startNs, long endNs) {
        record(tag, "read", startNs, endNs, bytes);
    }

    public static void enqueueNDRangeKernelIfEnabled(String tag, long startNs, long endNs) {
        record(tag, "NDRangeKernel", startNs, endNs, -1);
    }

    /** Runs {@code action}, recording how long it took. */
    public static void trace(String tag, Runnable action) {
        long start = System.nanoTime();
        action.run();
        record(tag, "trace", start, System.nanoTime(), -1);
    }

    /** The recorded events as a Trace Event Format document. */
    public static synchronized String toJson() {
        return "{\"traceEvents\": [\n" + String.join(",\n", events) + "\n]}\n";
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public static void write(Path file) {
        try {
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the Chrome trace " + file + " failed", e);
        }
    }

    private static synchronized void record(String tag, String category, long startNs, long endNs, long bytes) {
        if (!isEnabled()) {
            return;
        }
        if (!writeAtExit) {
            writeAtExit = true;
            Path file = Path.of(getChromeEventTracerFileName());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> write(file)));
        }
        events.add(String.format(java.util.Locale.ROOT,
                "  {\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"pid\": %d, \"tid\": %d%s}",
                escaped(tag), category, startNs / 1e3, (endNs - startNs) / 1e3, ProcessHandle.current().pid(),
                Thread.currentThread().threadId(), bytes < 0 ? "" : ", \"args\": {\"bytes\": " + bytes + "}"));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package uk.ac.manchester.tornado.api.enums;

/** How a plan's profiler reports: printed after each execution (CONSOLE), or only through the result (SILENT). */
public enum ProfilerMode {
    CONSOLE,
    SILENT
}

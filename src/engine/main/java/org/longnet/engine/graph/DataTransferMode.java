package org.longnet.engine.graph;

/** When a transfer in a task graph happens (TornadoVM's names). */
public enum DataTransferMode {
    /** On the plan's first execution (and whenever the device has no copy). */
    FIRST_EXECUTION,
    /** On every execution. */
    EVERY_EXECUTION,
    /** Only when asked through {@link ExecutionResult#transferToHost}. */
    UNDER_DEMAND
}

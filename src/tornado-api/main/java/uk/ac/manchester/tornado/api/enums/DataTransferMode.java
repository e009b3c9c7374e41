package uk.ac.manchester.tornado.api.enums;

/** When a transfer of a task graph happens: TornadoVM's int constants, the engine's {@code DataTransferMode} values. */
public class DataTransferMode {
    /** On the first execution of a plan (and whenever the device has no copy). */
    public static final int FIRST_EXECUTION = 0;
    /** On every execution. */
    public static final int EVERY_EXECUTION = 1;
    /** Only when asked through {@code TornadoExecutionResult.transferToHost}. */
    public static final int UNDER_DEMAND = 2;

    /** The engine's mode for one of these constants. */
    public static org.longnet.engine.graph.DataTransferMode toEngine(int mode) {
        return switch (mode) {
            case FIRST_EXECUTION -> org.longnet.engine.graph.DataTransferMode.FIRST_EXECUTION;
            case EVERY_EXECUTION -> org.longnet.engine.graph.DataTransferMode.EVERY_EXECUTION;
            case UNDER_DEMAND -> org.longnet.engine.graph.DataTransferMode.UNDER_DEMAND;
            default -> throw new IllegalArgumentException("data transfer mode must be FIRST_EXECUTION (0), EVERY_EXECUTION (1) or "
                    + "UNDER_DEMAND (2), was " + mode);
        };
    }
}

package uk.ac.manchester.tornado.api;

/**
 * The launch sizes of one task: global work-items and work-group (local) sizes per dimension, x first. Without
 * a local size the runtime picks one that divides the global size.
 */
public interface WorkerGrid {
    int dimension();

    long[] getGlobalWork();

    /** The local sizes, or null where the runtime picks them. */
    long[] getLocalWork();

    /** Work-groups per dimension, or null without local sizes. */
    long[] getNumberOfWorkgroups();

    long[] getGlobalOffset();

    void setGlobalWork(long x, long y, long z);

    void setLocalWork(long x, long y, long z);

    void setNumberOfWorkgroupsToNull();

    void setLocalWorkToNull();

    void setGlobalOffset(long x, long y, long z);
}

package org.longnet.engine.api;

/** A work-item's place in its work-group, counted across all three dimensions, for the intrinsics the whole group makes together. */
final class WorkItems {
    private WorkItems() {
    }

    /** The work-item's index in its group, x fastest: 0 for the group's first. */
    static int linearLocalId(KernelContext context) {
        return context.localIdx + context.localGroupSizeX * (context.localIdy + context.localGroupSizeY * context.localIdz);
    }

    /** How many work-items the group has. */
    static int groupItems(KernelContext context) {
        return context.localGroupSizeX * Math.max(1, context.localGroupSizeY) * Math.max(1, context.localGroupSizeZ);
    }
}

package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.KernelView;

/**
 * TornadoVM's context of a work-item, for kernels that manage their own work-groups: the engine's
 * {@link org.longnet.engine.api.KernelContext} under TornadoVM's name, with the same fields ({@code globalIdx},
 * {@code localIdx}, {@code groupIdx}, {@code localGroupSizeX}, ...), barriers and local arrays. A task passes
 * {@code new KernelContext()}; the device fills in each work-item's.
 */
@KernelView(org.longnet.engine.api.KernelContext.class)
public class KernelContext extends org.longnet.engine.api.KernelContext {
    public KernelContext() {
    }

    /** The jvm device's work-items. */
    protected KernelContext(GroupMemory group) {
        super(group);
    }
}

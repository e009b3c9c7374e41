package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A kernel written by hand for a device rather than translated from Java: {@code source} is the program in the language of
 * the engine backend {@code backend} ({@code opencl}: OpenCL C; {@code cuda}: PTX), {@code file} where it came from,
 * {@code entryPoint} the kernel to launch, and
 * {@code args} its arguments in the kernel's order (see {@code KernelArguments.prebuilt}). It launches with the grid the
 * plan gives its task, else as one work-item.
 */
public record PrebuiltKernel(String file, String backend, String source, String entryPoint, Object[] args) {
    public PrebuiltKernel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(entryPoint, "entryPoint");
        args = args.clone();
    }

    /** The arrays among its arguments: they must be on the device when it runs. */
    List<DeviceArray> arrays() {
        return Arrays.stream(args).map(DeviceArrayView::of).filter(Objects::nonNull).toList();
    }
}

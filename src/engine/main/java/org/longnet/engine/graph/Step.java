package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.KernelInfo;

import java.util.List;

/** One thing a task graph does, in order. */
sealed interface Step {
    record CopyIn(DataTransferMode mode, List<DeviceArray> arrays) implements Step {
    }

    record CopyOut(DataTransferMode mode, List<DeviceArray> arrays) implements Step {
    }

    record Kernel(String name, KernelInfo kernel, Object[] args) implements Step {
    }

    record Library(String name, LibraryTask task) implements Step {
    }

    record Prebuilt(String name, PrebuiltKernel kernel) implements Step {
    }
}

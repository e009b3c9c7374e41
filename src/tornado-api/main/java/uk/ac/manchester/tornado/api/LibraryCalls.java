package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.LibraryTask;
import org.longnet.tornado.library.LibraryProvider;
import org.longnet.tornado.library.LibraryProviders;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A task of TornadoVM's hybrid API ({@code TaskGraph.libraryTask}): one call of a native library that a binding described,
 * run by the {@link LibraryProvider} of that library on the class path. Without one the graph still builds and its
 * arrays travel as any task's, but running the call fails with the library's name.
 */
record LibraryCalls(String task, LibraryTaskDescriptor call) implements LibraryTask {
    @Override
    public List<DeviceArray> arrays() {
        return Arrays.stream(call.getParameters()).map(DeviceArrayView::of).filter(Objects::nonNull).toList();
    }

    @Override
    public long run(Device device, boolean timed) {
        LibraryProvider provider = LibraryProviders.find(call.getLibraryName()).orElseThrow(() -> new TornadoRuntimeException("library task "
                + task + " calls " + call + ", and no library of the name " + call.getLibraryName() + " is provided here (no "
                + LibraryProvider.class.getName() + " of that name on the class path)"));
        return provider.run(call, device, timed);
    }
}

package org.longnet.tornado.library;

import org.longnet.engine.device.Device;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;

/**
 * Runs the calls of one native library that TornadoVM's bindings describe ({@code TaskGraph.libraryTask}). A provider is
 * a service ({@code META-INF/services/org.longnet.tornado.library.LibraryProvider}) found by the library's name, so
 * this module knows no library: a jar on the class path brings them (longnet-tornado-libraries brings TornadoVM's
 * NVIDIA bindings).
 */
public interface LibraryProvider {
    /** The name the bindings give the library ({@link LibraryTaskDescriptor#getLibraryName()}), e.g. {@code nvidia/cublas}. */
    String library();

    /**
     * Runs one call on {@code device}. Its arrays are allocated there, and those the graph brought hold their data; the
     * arrays the call writes ({@link LibraryTaskDescriptor#getAccess()}) must hold the result on the device when this
     * returns, as a kernel's would. Returns device nanoseconds when {@code timed}, else -1.
     */
    long run(LibraryTaskDescriptor call, Device device, boolean timed);
}

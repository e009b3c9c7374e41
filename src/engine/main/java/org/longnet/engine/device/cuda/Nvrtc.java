package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeCall;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** NVRTC: CUDA C++ source to a cubin for one GPU architecture, at run time. */
final class Nvrtc {
    private final MethodHandle create, compile, getCubinSize, getCubin, getLogSize, getLog, destroy, version;

    Nvrtc() {
        NativeLibrary lib = NativeLibrary.open(List.of("libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12"));
        create = lib.statusFunction("nvrtcCreateProgram", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compile = lib.statusFunction("nvrtcCompileProgram", ADDRESS, JAVA_INT, ADDRESS);
        getCubinSize = lib.statusFunction("nvrtcGetCUBINSize", ADDRESS, ADDRESS);
        getCubin = lib.statusFunction("nvrtcGetCUBIN", ADDRESS, ADDRESS);
        getLogSize = lib.statusFunction("nvrtcGetProgramLogSize", ADDRESS, ADDRESS);
        getLog = lib.statusFunction("nvrtcGetProgramLog", ADDRESS, ADDRESS);
        destroy = lib.statusFunction("nvrtcDestroyProgram", ADDRESS);
        version = lib.statusFunction("nvrtcVersion", ADDRESS, ADDRESS);
    }

    String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            check((int) version.invokeExact(major, minor), "nvrtcVersion");
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeCall.failure("nvrtcVersion", t);
        }
    }

    /** Compiles {@code source} (named {@code name} in messages) with {@code options}; the build log is shown whole on failure. */
    byte[] compile(String name, String source, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment program = a.allocate(ADDRESS);
            check((int) create.invokeExact(program, a.allocateFrom(source), a.allocateFrom(name), 0, MemorySegment.NULL,
                    MemorySegment.NULL), "nvrtcCreateProgram(" + name + ")");
            MemorySegment prog = program.get(ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, options.size());
                for (int i = 0; i < options.size(); i++) {
                    opts.setAtIndex(ADDRESS, i, a.allocateFrom(options.get(i)));
                }
                int status = (int) compile.invokeExact(prog, options.size(), opts);
                if (status != 0) {
                    throw new DeviceException("NVRTC could not compile " + name + " (status " + status + ", options "
                            + options + ")\n--- build log ---\n" + log(a, prog) + "\n--- source ---\n" + source);
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check((int) getCubinSize.invokeExact(prog, size), "nvrtcGetCUBINSize(" + name + ")");
                MemorySegment cubin = a.allocate(size.get(JAVA_LONG, 0));
                check((int) getCubin.invokeExact(prog, cubin), "nvrtcGetCUBIN(" + name + ")");
                return cubin.toArray(ValueLayout.JAVA_BYTE);
            } finally {
                int ignored = (int) destroy.invokeExact(program);
            }
        } catch (Throwable t) {
            throw NativeCall.failure("NVRTC on " + name, t);
        }
    }

    private String log(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment size = a.allocate(JAVA_LONG);
        check((int) getLogSize.invokeExact(prog, size), "nvrtcGetProgramLogSize");
        MemorySegment log = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
        check((int) getLog.invokeExact(prog, log), "nvrtcGetProgramLog");
        return log.getString(0);
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new DeviceException(what + " failed with NVRTC status " + status);
        }
    }
}

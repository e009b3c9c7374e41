package org.longnet.engine.translator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device runtimes build alone, through the engine's own device bindings, before any kernel uses
 * them: a syntax or type error in a runtime function fails here even when no kernel calls it. Each
 * device builds the generated sources of a class; here that class is an empty one whose sources are
 * the runtimes: {@code longnet_runtime.cl} on OpenCL devices (PoCL in CI), {@code longnet_runtime.cuh}
 * on CUDA devices. The jvm device builds nothing, so it is not asked.
 */
@DeviceTest
class RuntimeBuildsTest {
    static List<String> compilingDevices() {
        return TestDevices.ids().stream().filter(id -> !id.equals("jvm")).toList();
    }

    @ParameterizedTest(name = "the runtime builds alone on {0}")
    @MethodSource("compilingDevices")
    void runtimeBuildsAlone(String id) throws ReflectiveOperationException {
        assertTrue(TestDevices.open(id).timeBuild(runtimeOnly(), false) > 0);
    }

    /** An empty class whose generated OpenCL C and CUDA C are the runtimes alone. */
    private static Class<?> runtimeOnly() throws ClassNotFoundException {
        byte[] bytes = ClassFile.of().build(ClassDesc.of("RuntimeOnly"), c -> { });
        return new ClassLoader(RuntimeBuildsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                return name.equals("RuntimeOnly") ? defineClass(name, bytes, 0, bytes.length) : super.findClass(name);
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                return switch (name) {
                    case "RuntimeOnly.cl" -> text(RuntimeFiles.load("longnet_runtime.cl"));
                    case "RuntimeOnly.cu" -> text(RuntimeFiles.load("longnet_runtime.cuh"));
                    default -> super.getResourceAsStream(name);
                };
            }
        }.loadClass("RuntimeOnly");
    }

    private static InputStream text(String source) {
        return new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8));
    }
}

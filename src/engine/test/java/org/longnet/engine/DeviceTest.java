package org.longnet.engine;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class whose tests run kernels on every device of {@link TestDevices} ({@code jvm} and
 * {@code opencl} in CI; {@code cuda} and NVIDIA {@code opencl} on a GPU machine, where
 * {@code scripts/gpu/run} selects the classes by this tag).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("device")
public @interface DeviceTest {
}

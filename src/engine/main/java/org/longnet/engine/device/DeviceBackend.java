package org.longnet.engine.device;

import java.util.List;
import java.util.Optional;

/**
 * One kind of device ({@code jvm}, {@code opencl}, {@code cuda}), registered for {@link Devices}
 * through {@link java.util.ServiceLoader} in {@code META-INF/services/org.longnet.engine.device.DeviceBackend},
 * whose order is the order of discovery. A backend is made before anything is known about its
 * driver, so its constructor must not touch the driver: {@link #discover} and {@link #open} load it,
 * and their failures are reported for this backend alone.
 */
public interface DeviceBackend {
    /** How this backend's devices are named. */
    Ids ids();

    /**
     * Every device of this backend, in id order. Throws {@link UnsatisfiedLinkError} or
     * {@link DeviceException} saying why there are none (no driver, no GPU).
     */
    List<DeviceInfo> discover();

    /**
     * Opens the device whose id is the {@link Ids#name} followed by {@code fields} (the id split at
     * {@code ':'}; none for the bare name). Empty where the fields are not one of its {@link Ids#forms};
     * a field that should be a number and is not throws {@link NumberFormatException}.
     */
    Optional<Device> open(List<String> fields);

    /**
     * A backend's device ids: {@code name} is their first field and the backend's name in
     * {@code longnet devices}; {@code forms} are the forms {@link #open} takes, as messages spell them
     * ({@code cuda} and {@code cuda:D}, say); {@code defaultId} is the id the bare name stands for.
     */
    record Ids(String name, List<String> forms, String defaultId) {
    }
}

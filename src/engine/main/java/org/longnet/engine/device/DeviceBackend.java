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
    /** The first field of this backend's device ids, and its name in {@code longnet devices}. */
    String name();

    /** The id forms {@link #open} takes, as messages spell them: {@code cuda} and {@code cuda:D}, say. */
    List<String> idForms();

    /** The id that the bare {@link #name} stands for, such as {@code cuda:0}. */
    String defaultId();

    /**
     * Every device of this backend, in id order. Throws {@link UnsatisfiedLinkError} or
     * {@link DeviceException} saying why there are none (no driver, no GPU).
     */
    List<DeviceInfo> discover();

    /**
     * Opens the device whose id is {@link #name} followed by {@code fields} (the id split at
     * {@code ':'}; none for the bare name). Empty where the fields are not one of {@link #idForms};
     * a field that should be a number and is not throws {@link NumberFormatException}.
     */
    Optional<Device> open(List<String> fields);
}

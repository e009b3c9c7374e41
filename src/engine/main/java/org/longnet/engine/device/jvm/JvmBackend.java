package org.longnet.engine.device.jvm;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceBackend;
import org.longnet.engine.device.DeviceInfo;

import java.util.List;
import java.util.Optional;

/** The {@code jvm} backend: the one CPU device, always there. */
public final class JvmBackend implements DeviceBackend {
    @Override
    public Ids ids() {
        return new Ids("jvm", List.of("jvm"), "jvm");
    }

    @Override
    public List<DeviceInfo> discover() {
        return List.of(JvmDevice.describe());
    }

    @Override
    public Optional<Device> open(List<String> fields) {
        return fields.isEmpty() ? Optional.of(new JvmDevice()) : Optional.empty();
    }
}

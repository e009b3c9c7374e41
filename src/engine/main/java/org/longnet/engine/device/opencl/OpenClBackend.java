package org.longnet.engine.device.opencl;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceBackend;
import org.longnet.engine.device.DeviceInfo;

import java.util.List;
import java.util.Optional;

/** The {@code opencl} backend: every device of every OpenCL platform, through the ICD loader. */
public final class OpenClBackend implements DeviceBackend {
    @Override
    public Ids ids() {
        return new Ids("opencl", List.of("opencl", "opencl:P:D"), "opencl:0:0");
    }

    @Override
    public List<DeviceInfo> discover() {
        return OpenClDevice.discover();
    }

    @Override
    public Optional<Device> open(List<String> fields) {
        return fields.size() == 2 ? Optional.of(OpenClDevice.open(Integer.parseInt(fields.get(0)), Integer.parseInt(fields.get(1))))
                : Optional.empty();
    }
}

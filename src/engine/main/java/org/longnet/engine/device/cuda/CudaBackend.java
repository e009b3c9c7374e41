package org.longnet.engine.device.cuda;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceBackend;
import org.longnet.engine.device.DeviceInfo;

import java.util.List;
import java.util.Optional;

/** The {@code cuda} backend: every NVIDIA GPU, through the CUDA driver API. */
public final class CudaBackend implements DeviceBackend {
    @Override
    public Ids ids() {
        return new Ids("cuda", List.of("cuda", "cuda:D"), "cuda:0");
    }

    @Override
    public List<DeviceInfo> discover() {
        return CudaDevice.discover();
    }

    @Override
    public Optional<Device> open(List<String> fields) {
        return fields.size() == 1 ? Optional.of(CudaDevice.open(Integer.parseInt(fields.get(0)))) : Optional.empty();
    }
}

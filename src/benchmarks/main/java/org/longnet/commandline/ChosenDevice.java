package org.longnet.commandline;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;

/** The device a command runs on: {@code --device}, else {@code LONGNET_DEVICE}, else what {@code auto} picks. */
public final class ChosenDevice {
    private ChosenDevice() {
    }

    /** Opens the chosen device and prints which it is, so every output says where it was measured. */
    public static Device open() {
        Device device = Devices.defaultDevice();
        System.out.println("device: " + device.info().id() + " — " + device.info().name());
        return device;
    }
}

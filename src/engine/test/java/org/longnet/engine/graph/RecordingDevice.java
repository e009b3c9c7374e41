package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A device with graphs as CUDA has them, over the JVM device: while recording, a launch is kept instead of run, and a graph
 * launch runs what was kept. So a plan that records a launch it should not (or replays a graph that missed one) gives wrong
 * results here as it would on a GPU; the host code that runs while recording runs once, as it would there.
 */
public final class RecordingDevice implements Device {
    private final Device jvm;
    private List<Runnable> recording;
    private long frees;
    /** Graphs recorded and launches kept in them, for the test's counts. */
    public int recorded;
    public int abandoned;

    public RecordingDevice(Device jvm) {
        this.jvm = jvm;
    }

    @Override
    public Optional<Capture> beginCapture(String what) {
        if (recording != null) {
            throw new IllegalStateException("recording twice: " + what);
        }
        List<Runnable> steps = new ArrayList<>();
        recording = steps;
        long madeAt = frees;
        return Optional.of(new Capture() {
            @Override
            public CapturedGraph end() {
                recording = null;
                recorded++;
                return new CapturedGraph() {
                    @Override
                    public void launch() {
                        steps.forEach(Runnable::run);
                    }

                    @Override
                    public boolean valid() {
                        return frees == madeAt;
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public void abandon() {
                recording = null;
                abandoned++;
            }
        });
    }

    @Override
    public long frees() {
        return frees;
    }

    @Override
    public Prepared prepare(KernelInfo kernel, Object[] args, Launch launch) {
        if (recording != null) {
            throw new IllegalStateException("kernel " + kernel.qualifiedName() + " readied while recording: that cannot be recorded");
        }
        Prepared p = jvm.prepare(kernel, args, launch);
        long madeAt = frees;
        return new Prepared() {
            @Override
            public long launch(boolean timed) {
                if (recording != null) {
                    recording.add(() -> p.launch(false));
                    return -1;
                }
                return p.launch(timed);
            }

            @Override
            public boolean valid() {
                return frees == madeAt;
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    @Override
    public void free(DeviceArray array) {
        frees++;
        jvm.free(array);
    }

    @Override
    public DeviceInfo info() {
        return jvm.info();
    }

    @Override
    public boolean isResident(DeviceArray array) {
        return jvm.isResident(array);
    }

    @Override
    public long residentBytes(DeviceArray array) {
        return jvm.residentBytes(array);
    }

    @Override
    public void allocate(DeviceArray array) {
        jvm.allocate(array);
    }

    @Override
    public long copyToDevice(DeviceArray array, boolean timed) {
        return jvm.copyToDevice(array, timed);
    }

    @Override
    public long copyToHost(DeviceArray array, boolean timed) {
        return jvm.copyToHost(array, timed);
    }

    @Override
    public long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed) {
        return jvm.copyOnDevice(src, srcOffset, dst, dstOffset, bytes, timed);
    }

    @Override
    public long timeBuild(Class<?> owner, boolean diskCache) {
        return jvm.timeBuild(owner, diskCache);
    }

    @Override
    public void synchronize() {
        jvm.synchronize();
    }

    @Override
    public long freeMemory() {
        return jvm.freeMemory();
    }

    @Override
    public String kernelSource(Class<?> owner) {
        return jvm.kernelSource(owner);
    }

    @Override
    public void close() {
    }
}

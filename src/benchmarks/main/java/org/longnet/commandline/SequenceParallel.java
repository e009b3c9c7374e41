package org.longnet.commandline;

import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Communicators;
import org.longnet.engine.collective.MpiCommunicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * {@code --sequence-parallel}: one sequence split across the ranks {@code mpirun} started (LongNet's
 * distributed algorithm). Each rank takes its own GPU of its host when the device is {@code cuda} or
 * {@code auto} ({@code OMPI_COMM_WORLD_LOCAL_RANK} modulo the host's GPUs), or shares the one device
 * named; rank 0 alone prints and writes files.
 */
public final class SequenceParallel {
    @Option(names = "--sequence-parallel", description = "Split each sequence across the ranks that mpirun started (e.g. mpirun -np 4 "
            + "scripts/longnet ... --sequence-parallel): rank d holds tokens [d N/P, (d+1) N/P) and attention exchanges keys and values "
            + "where its segments span ranks. Without mpirun it runs as one rank.")
    boolean on;

    private Communicator group;

    /**
     * The ranks that share each sequence: mpirun's with {@code --sequence-parallel}, else this process alone.
     * Refuses a process that mpirun started without the option (its ranks would each train alone into one folder).
     */
    public Communicator group() {
        if (group == null) {
            if (!on && MpiCommunicator.launchedByMpirun() && !"1".equals(System.getenv("OMPI_COMM_WORLD_SIZE"))) {
                throw new IllegalArgumentException("started by mpirun on " + System.getenv("OMPI_COMM_WORLD_SIZE") + " ranks: add "
                        + "--sequence-parallel to split each sequence across them, or run a single process without mpirun");
            }
            group = on ? Communicators.job() : new SingleRank();
            if (group.rank() > 0) {
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            }
        }
        return group;
    }

    /** This rank's device (see the class comment), announced by rank 0 with the ranks. */
    public Device device() {
        Communicator g = group();
        String id = Devices.defaultId();
        String resolved = Devices.resolve(id);
        if (g.size() > 1 && (id.equals("cuda") || id.equals("auto")) && resolved.startsWith("cuda:")) {
            int gpus = Devices.discover().stream().filter(b -> b.name().equals("cuda")).mapToInt(b -> b.devices().size()).sum();
            resolved = "cuda:" + Communicators.localDevice(gpus);
        }
        Device device = Devices.get(resolved);
        System.out.println("device: " + device.info().id() + " — " + device.info().name()
                + (g.size() > 1 ? "; sequences split across " + g.size() + " ranks (rank 0 reports)" : ""));
        return device;
    }
}

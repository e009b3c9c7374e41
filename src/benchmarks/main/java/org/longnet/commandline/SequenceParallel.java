package org.longnet.commandline;

import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Communicators;
import org.longnet.engine.collective.MpiCommunicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import picocli.CommandLine.Option;

import org.longnet.engine.device.cuda.NcclCommunicator;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code --sequence-parallel}: one sequence split across the ranks {@code mpirun} started (LongNet's
 * distributed algorithm). Each rank takes its own GPU of its host when the device is {@code cuda} or
 * {@code auto} ({@code OMPI_COMM_WORLD_LOCAL_RANK} modulo the host's GPUs), or shares the one device
 * named; rank 0 alone prints and writes files. The collectives run on Open MPI, or on NCCL between GPUs
 * ({@code --collectives}).
 */
public final class SequenceParallel {
    @Option(names = "--sequence-parallel", description = "Split each sequence across the ranks that mpirun started (e.g. mpirun -np 4 "
            + "scripts/longnet ... --sequence-parallel): rank d holds tokens [d N/P, (d+1) N/P) and attention exchanges keys and values "
            + "where its segments span ranks. Without mpirun it runs as one rank.")
    boolean on;

    @Option(names = "--collectives", defaultValue = "auto", paramLabel = "ENGINE", description = "With --sequence-parallel: mpi (Open MPI, "
            + "arrays staged through host memory, any device), nccl (NCCL on the GPUs' own memory, one rank per GPU) or auto: nccl where "
            + "each rank has a CUDA GPU of its own and NCCL is installed, else mpi. Default: ${DEFAULT-VALUE}.")
    String collectives;

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

    /** This rank's device (see the class comment), announced by rank 0 with the ranks and the collectives' engine. */
    public Device device() {
        if (!List.of("auto", "mpi", "nccl").contains(collectives)) {
            throw new IllegalArgumentException("--collectives " + collectives + " is not an engine; use auto, mpi or nccl");
        }
        Communicator g = group();
        String id = Devices.defaultId();
        String resolved = Devices.resolve(id);
        if (g.size() > 1 && (id.equals("cuda") || id.equals("auto")) && resolved.startsWith("cuda:")) {
            int gpus = Devices.discover().stream().filter(b -> b.name().equals("cuda")).mapToInt(b -> b.devices().size()).sum();
            resolved = "cuda:" + Communicators.localDevice(gpus);
        }
        Device device = Devices.get(resolved);
        String engine = g.size() > 1 ? chooseCollectives(device) : "";
        System.out.println("device: " + device.info().id() + " — " + device.info().name()
                + (g.size() > 1 ? "; sequences split across " + g.size() + " ranks with " + engine + " (rank 0 reports)" : ""));
        return device;
    }

    /**
     * Replaces the MPI group by an NCCL one where asked for or where it can work (each rank of a host on its own GPU);
     * returns the engine's name.
     */
    private String chooseCollectives(Device device) {
        String local = System.getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
        int gpus = Devices.discover().stream().filter(b -> b.name().equals("cuda")).mapToInt(b -> b.devices().size()).sum();
        boolean ownGpu = local != null && Integer.parseInt(local.trim()) <= gpus;
        if (collectives.equals("mpi") || collectives.equals("auto") && !ownGpu) {
            return "MPI";
        }
        if (!ownGpu) {
            throw new IllegalArgumentException("--collectives nccl needs a GPU per rank: " + local + " ranks share this host's " + gpus
                    + " CUDA GPUs; use --collectives mpi or fewer ranks per host");
        }
        StringBuilder why = new StringBuilder();
        Communicator nccl = NcclCommunicator.tryCreate(device, group, why);
        if (nccl == null) {
            if (collectives.equals("nccl")) {
                throw new IllegalArgumentException("--collectives nccl: " + why);
            }
            return "MPI (no NCCL: " + why + ")";
        }
        group = nccl;
        return "NCCL";
    }
}

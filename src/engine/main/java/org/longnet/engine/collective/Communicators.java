package org.longnet.engine.collective;

/**
 * The job's communicator: Open MPI's world when {@code mpirun} started this process, else
 * {@link SingleRank}. One per process, made on first use.
 */
public final class Communicators {
    private static volatile Communicator job;

    private Communicators() {
    }

    public static Communicator job() {
        Communicator c = job;
        if (c == null) {
            synchronized (Communicators.class) {
                c = job;
                if (c == null) {
                    job = c = MpiCommunicator.launchedByMpirun() ? MpiCommunicator.world() : new SingleRank();
                }
            }
        }
        return c;
    }

    /**
     * The rank's GPU among those of its host: Open MPI's local rank ({@code OMPI_COMM_WORLD_LOCAL_RANK})
     * modulo {@code devices}, so ranks of one host take their GPUs in turn; 0 without mpirun.
     */
    public static int localDevice(int devices) {
        String local = System.getenv("OMPI_COMM_WORLD_LOCAL_RANK");
        if (local == null || devices < 1) {
            return 0;
        }
        return Integer.parseInt(local.trim()) % devices;
    }
}

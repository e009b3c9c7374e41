package org.longnet.engine.collective;

import java.io.IOException;

/**
 * One rank of {@link CollectivesTest#aRankThatDiesEndsTheOthers}: after a barrier, rank 1 kills
 * itself with SIGKILL while the others go on summing; they must not wait for it forever.
 */
public final class DeadPeerCheck {
    private DeadPeerCheck() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Communicator job = Communicators.job();
        job.barrier();
        if (job.rank() == 1) {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(60_000);
        }
        double[] x = {1};
        for (int i = 0; i < 1_000_000; i++) {
            job.allReduce(x);
            x[0] = 1;
        }
        System.out.println("rank " + job.rank() + " finished without its peer");
    }
}

package org.longnet.engine.device.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The last launches this process made through the CUDA driver, to name in the message of a fault. A kernel that faults
 * (an illegal address or instruction, a trap, a failed assertion) is reported by whichever driver call comes next, often
 * a copy, and the error then stays with the context: every later call fails the same way until the process ends. Naming
 * the launches just before it points at the kernel; the newest is the likeliest, though not certainly the one.
 */
final class LaunchTrail {
    /** The driver's errors after which the context is unusable: CUDA_ERROR_ILLEGAL_ADDRESS ... CUDA_ERROR_LAUNCH_FAILED. */
    private static final Set<Integer> CONTEXT_LOST = Set.of(700, 702, 710, 714, 715, 716, 717, 718, 719);

    private final int capacity;
    private final Deque<String> launches = new ArrayDeque<>();

    LaunchTrail(int capacity) {
        this.capacity = capacity;
    }

    /** Notes a launch, by the name its failure messages use. */
    synchronized void add(String what) {
        if (launches.size() == capacity) {
            launches.removeFirst();
        }
        launches.addLast(what);
    }

    /** The launches noted, newest first. */
    synchronized List<String> newestFirst() {
        List<String> out = new ArrayList<>(launches);
        Collections.reverse(out);
        return out;
    }

    /** What to add to the message of a call that failed with {@code status}: nothing, unless the status means a kernel faulted. */
    static String afterFault(int status, List<String> newestFirst) {
        if (!CONTEXT_LOST.contains(status)) {
            return "";
        }
        return "; a kernel faulted, and the error stays with the CUDA context: every later call on this device fails the same way "
                + "until the process ends" + (newestFirst.isEmpty() ? "" : ". The last launches, newest first: " + String.join(", ", newestFirst));
    }
}

package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings an execution plan was given, in the order given (TornadoVM's trace of an execution plan): one line per
 * call, after a first line {@code Root} for the plan as made. Calls that only read (execute, getters) are not in it.
 */
final class PlanTrace {
    private final List<String> calls = new ArrayList<>();

    /** Records one call, written as the program wrote it: {@code withGraph(1)}, {@code withThreadInfo}. */
    void add(String call) {
        calls.add(call);
    }

    @Override
    public String toString() {
        StringBuilder trace = new StringBuilder("Root");
        for (String call : calls) {
            trace.append("\n -> ").append(call);
        }
        return trace.toString();
    }
}

package org.longnet.engine.translator;

import com.sun.source.tree.Tree;

/**
 * A construct outside the kernel subset; reported at the tree's file and line. {@code race}: the construct translates, but its
 * iterations would run at the same time where Java runs them in order, and the result would differ (a data race, a value
 * carried across iterations, a return out of a @Parallel loop): such a kernel is wrong as written, so it always fails the build,
 * where a kernel that only uses what the translator lacks may run as sequential Java instead ({@link DeferredKernels}).
 */
final class Rejected extends RuntimeException {
    final transient Tree where;
    final boolean race;

    Rejected(Tree where, String message) {
        this(where, message, false);
    }

    private Rejected(Tree where, String message, boolean race) {
        super(message, null, false, false);
        this.where = where;
        this.race = race;
    }

    /** A construct whose iterations would race or lose Java's order on a device ({@link #race}). */
    static Rejected race(Tree where, String message) {
        return new Rejected(where, message, true);
    }

    /** The kind of {@code t} in words ({@code "enhanced for loop"}), for messages. */
    static String kindName(Tree t) {
        return t.getKind().toString().toLowerCase().replace('_', ' ');
    }
}

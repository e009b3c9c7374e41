package org.longnet.engine.translator;

import com.sun.source.tree.Tree;

/** A construct outside the kernel subset; reported at the tree's file and line. */
final class Rejected extends RuntimeException {
    final transient Tree where;

    Rejected(Tree where, String message) {
        super(message, null, false, false);
        this.where = where;
    }
}

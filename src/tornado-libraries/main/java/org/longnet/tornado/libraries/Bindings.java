package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.api.common.Access;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;

import java.util.Arrays;

/** How the bindings ({@code CuBlas.cublasSgemm}, ...) describe a call: every parameter read, one or more written. */
public final class Bindings {
    private Bindings() {
    }

    /**
     * The call {@code library.function(params)} writing {@code params[output]}: also reading it where it accumulates
     * (a GEMM with beta != 0), else writing it alone.
     */
    public static LibraryTaskDescriptor call(String library, String function, int output, boolean accumulates, Object... params) {
        Access[] access = new Access[params.length];
        Arrays.fill(access, Access.READ_ONLY);
        access[output] = accumulates ? Access.READ_WRITE : Access.WRITE_ONLY;
        return new LibraryTaskDescriptor().withLibrary(library).withFunction(function).withParameters(params).withAccess(access);
    }
}

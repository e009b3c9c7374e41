package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.common.Access;

/** The parameters of a prebuilt task, in the order its kernel declares them, each with how the kernel uses it. */
public class AccessorParameters {
    private final PairAccessor[] accessors;

    public AccessorParameters(int numParameters) {
        if (numParameters < 0) {
            throw new IllegalArgumentException("numParameters must be >= 0, was " + numParameters);
        }
        accessors = new PairAccessor[numParameters];
    }

    /** Parameter {@code index} (from 0) of the kernel is {@code object}, used as {@code access} says. */
    public void set(int index, Object object, Access access) {
        if (index < 0 || index >= accessors.length) {
            throw new IllegalArgumentException("accessor index must be 0 to " + (accessors.length - 1) + ", was " + index);
        }
        accessors[index] = new PairAccessor(object, access);
    }

    public int numAccessors() {
        return accessors.length;
    }

    public PairAccessor getAccessor(int index) {
        return accessors[index];
    }

    /** One parameter and its access. */
    public record PairAccessor(Object object, Access access) {
    }
}

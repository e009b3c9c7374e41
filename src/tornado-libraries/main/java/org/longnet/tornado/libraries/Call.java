package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;

/** One library call's parameters, read by position with their types checked: what a provider's function receives. */
public final class Call {
    private final String name;
    private final String function;
    private final Object[] params;
    private final Object tuning;

    public Call(LibraryTaskDescriptor descriptor) {
        this(descriptor.toString(), descriptor.getFunctionName(), descriptor.getParameters(), descriptor.getTuning());
    }

    private Call(String name, String function, Object[] params, Object tuning) {
        this.name = name;
        this.function = function;
        this.params = params;
        this.tuning = tuning;
    }

    /** The same call on other arguments (copies of its arrays). */
    public Call with(Object[] arguments) {
        return new Call(name, function, arguments.clone(), tuning);
    }

    /** {@code library.function}, for messages. */
    public String name() {
        return name;
    }

    /** The function's name alone. */
    public String function() {
        return function;
    }

    public Object tuning() {
        return tuning;
    }

    public int integer(int i) {
        return param(i, Integer.class);
    }

    public float real(int i) {
        return param(i, Float.class);
    }

    public long whole(int i) {
        return param(i, Long.class);
    }

    public boolean flag(int i) {
        return param(i, Boolean.class);
    }

    public <T> T param(int i, Class<T> type) {
        if (i >= params.length || !type.isInstance(params[i])) {
            throw new IllegalArgumentException(name + ": parameter " + (i + 1) + " must be a " + type.getSimpleName() + ", was "
                    + (i >= params.length ? "missing (" + params.length + " given)" : params[i] == null ? "null" : params[i].getClass().getSimpleName()));
        }
        return type.cast(params[i]);
    }

    /** Parameter i as elements (an array of a type {@link Elements} reads). */
    public Elements elements(int i) {
        return Elements.of(name + " parameter " + (i + 1), param(i, Object.class));
    }
}

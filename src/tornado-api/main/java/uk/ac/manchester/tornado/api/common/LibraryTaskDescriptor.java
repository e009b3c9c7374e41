package uk.ac.manchester.tornado.api.common;

/** One call of a native library (its name, function, parameters and their accesses), as a library binding describes it. */
public class LibraryTaskDescriptor {
    private String libraryName;
    private String functionName;
    private Object[] parameters = new Object[0];
    private Access[] access = new Access[0];
    private Object tuning;

    public LibraryTaskDescriptor withLibrary(String libraryName) {
        this.libraryName = libraryName;
        return this;
    }

    public LibraryTaskDescriptor withFunction(String functionName) {
        this.functionName = functionName;
        return this;
    }

    public LibraryTaskDescriptor withParameters(Object[] parameters) {
        this.parameters = parameters.clone();
        return this;
    }

    public LibraryTaskDescriptor withAccess(Access[] access) {
        this.access = access.clone();
        return this;
    }

    /** Settings the library reads for this call (an algorithm, a workspace size); the library defines them. */
    public LibraryTaskDescriptor withTuning(Object tuning) {
        this.tuning = tuning;
        return this;
    }

    public String getLibraryName() {
        return libraryName;
    }

    public String getFunctionName() {
        return functionName;
    }

    public Object[] getParameters() {
        return parameters.clone();
    }

    public Access[] getAccess() {
        return access.clone();
    }

    public Object getTuning() {
        return tuning;
    }

    @Override
    public String toString() {
        return libraryName + "." + functionName;
    }
}

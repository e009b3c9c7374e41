package org.longnet.engine.translator;

import javax.annotation.processing.Filer;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The translated functions of {@code @DeviceFunctions} classes, wherever they come from. A class in
 * this compilation is translated from its own trees when javac has analyzed it, which may be before
 * or after the kernels that call it (javac analyzes, lowers and writes one class at a time, and no
 * class reads another's trees); until then its functions are {@link Lookup.Pending}. A class from
 * the class path was translated when it was compiled: its functions are read from the
 * {@code .devicefunctions} resource next to its class file.
 */
final class Libraries {
    private final Filer filer;
    /** Binary names of the {@code @DeviceFunctions} classes compiled in this compilation. */
    private final Set<String> compiledNow = new HashSet<>();
    private final Set<String> failed = new HashSet<>();
    private final Map<String, Map<String, DeviceFunction>> translated = new HashMap<>();
    /** Why functions of classes compiled now cannot run on a device, by key: said where a kernel calls them. */
    private final Map<String, String> unavailable = new HashMap<>();

    Libraries(Filer filer) {
        this.filer = filer;
    }

    sealed interface Lookup {
        record Found(DeviceFunction function) implements Lookup {
        }

        /** Its class is compiled now and javac has not analyzed it yet. */
        record Pending() implements Lookup {
        }

        /** Its class failed to translate; that was reported where it failed. */
        record Failed() implements Lookup {
        }

        record Missing(String why) implements Lookup {
        }
    }

    /** A {@code @DeviceFunctions} class of this compilation, to be translated when javac has analyzed it. */
    void compiledNow(String binaryName) {
        compiledNow.add(binaryName);
    }

    void translated(String binaryName, Map<String, DeviceFunction> functions) {
        translated.put(binaryName, functions);
    }

    void failed(String binaryName) {
        failed.add(binaryName);
    }

    /** A function of a class compiled now that could not be translated, and why. */
    void unavailable(String key, String why) {
        unavailable.put(key, why);
    }

    Lookup find(String key) {
        String owner = key.substring(0, key.indexOf('#'));
        String name = key.substring(key.indexOf('#') + 1);
        if (failed.contains(owner)) {
            return new Lookup.Failed();
        }
        if (unavailable.containsKey(key)) {
            return new Lookup.Missing(unavailable.get(key));
        }
        Map<String, DeviceFunction> functions = translated.get(owner);
        if (functions == null && compiledNow.contains(owner)) {
            return new Lookup.Pending();
        }
        if (functions == null) {
            try {
                functions = readFromClassPath(owner);
            } catch (IOException | IllegalArgumentException e) {
                return new Lookup.Missing("the translated functions of " + owner + " are not on the class path ("
                        + resourceName(owner) + ": " + e.getMessage() + "); compile " + owner + " with the kernel translator, "
                        + "in this compilation or an earlier one");
            }
            translated.put(owner, functions);
        }
        DeviceFunction f = functions.get(name);
        return f != null ? new Lookup.Found(f) : new Lookup.Missing(resourceName(owner) + " has no function " + name
                + ": it was translated from an older " + owner + "; compile it again");
    }

    private Map<String, DeviceFunction> readFromClassPath(String owner) throws IOException {
        String pkg = owner.contains(".") ? owner.substring(0, owner.lastIndexOf('.')) : "";
        CharSequence text = filer.getResource(StandardLocation.CLASS_PATH, pkg, resourceName(owner)).getCharContent(true);
        return DeviceFunctionsFile.read(owner, text.toString());
    }

    /** {@code Name.devicefunctions}, for a class {@code pkg.Name} (nested classes: {@code Outer$Inner.devicefunctions}). */
    static String resourceName(String binaryName) {
        return binaryName.substring(binaryName.lastIndexOf('.') + 1) + "." + DeviceFunctionsFile.EXTENSION;
    }
}

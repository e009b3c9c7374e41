package org.longnet.engine.translator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Name.devicefunctions} resource the translator writes next to the class file of each
 * {@code @DeviceFunctions} class: its functions, translated, for kernels compiled later against the
 * class file alone (another module, or tests against main classes), which have no trees of it. One
 * line per fact, each a tag, a tab and the value:
 * <pre>
 * function  rowIndex  pkg_Name_rowIndex  barrier=false  matrix-units=false  calls=pkg.Name#other pkg.Other#f
 * cl.prototype  long pkg_Name_rowIndex(int row);
 * cl  long pkg_Name_rowIndex(int row) {         (one line of its definition)
 * cu.prototype  ...
 * </pre>
 */
final class DeviceFunctionsFile {
    static final String EXTENSION = "devicefunctions";
    private static final String FORMAT = "# LongNet device functions, format 1";

    private DeviceFunctionsFile() {
    }

    static String write(String binaryClassName, List<DeviceFunction> functions) {
        StringBuilder out = new StringBuilder(FORMAT).append(": ").append(binaryClassName)
                .append(", translated by the LongNet kernel translator for kernels compiled later. Do not edit.\n");
        for (DeviceFunction f : functions) {
            out.append("function\t").append(f.key().substring(f.key().indexOf('#') + 1)).append('\t').append(f.cName())
                    .append("\tbarrier=").append(f.usesBarrier()).append("\tmatrix-units=").append(f.usesMatrixUnits())
                    .append("\tcalls=").append(String.join(" ", f.calls())).append('\n');
            for (String dialect : f.definitions().keySet()) {
                out.append(dialect).append(".prototype\t").append(f.prototypes().get(dialect).stripTrailing()).append('\n');
                f.definitions().get(dialect).lines().forEach(line -> out.append(dialect).append('\t').append(line).append('\n'));
            }
        }
        return out.toString();
    }

    /** The functions of a class, by Java name; throws {@link IllegalArgumentException} on text this version did not write. */
    static Map<String, DeviceFunction> read(String binaryClassName, String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith(FORMAT + ":")) {
            throw new IllegalArgumentException("it is not in the format this translator writes (" + FORMAT + ")");
        }
        List<Builder> read = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] tagged = line.split("\t", 2);
            String tag = tagged[0], value = tagged.length > 1 ? tagged[1] : "";
            if (tag.equals("function")) {
                read.add(new Builder(binaryClassName, value.split("\t")));
            } else if (read.isEmpty()) {
                throw new IllegalArgumentException("a line before the first function: " + line);
            } else if (tag.endsWith(".prototype")) {
                read.getLast().prototypes.put(tag.substring(0, tag.length() - ".prototype".length()), value + "\n");
            } else {
                read.getLast().definitions.computeIfAbsent(tag, d -> new StringBuilder()).append(value).append('\n');
            }
        }
        Map<String, DeviceFunction> functions = new LinkedHashMap<>();
        read.forEach(b -> functions.put(b.name, b.build()));
        return functions;
    }

    private static final class Builder {
        final String name, key, cName, calls;
        final boolean barrier, matrixUnits;
        final Map<String, String> prototypes = new LinkedHashMap<>();
        final Map<String, StringBuilder> definitions = new LinkedHashMap<>();

        Builder(String binaryClassName, String[] fields) {
            if (fields.length != 5) {
                throw new IllegalArgumentException("a function line with " + fields.length + " fields: " + Arrays.toString(fields));
            }
            name = fields[0];
            key = DeviceFunction.key(binaryClassName, name);
            cName = fields[1];
            barrier = Boolean.parseBoolean(valueOf(fields[2], "barrier="));
            matrixUnits = Boolean.parseBoolean(valueOf(fields[3], "matrix-units="));
            calls = valueOf(fields[4], "calls=");
        }

        DeviceFunction build() {
            Map<String, String> texts = new LinkedHashMap<>();
            definitions.forEach((dialect, text) -> texts.put(dialect, text.toString()));
            return new DeviceFunction(key, cName, prototypes, texts, barrier, matrixUnits, calls.isEmpty() ? List.of() : List.of(calls.split(" ")));
        }

        private static String valueOf(String field, String name) {
            if (!field.startsWith(name)) {
                throw new IllegalArgumentException("expected " + name + "..., found " + field);
            }
            return field.substring(name.length());
        }
    }
}

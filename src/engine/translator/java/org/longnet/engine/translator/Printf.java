package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ExecutableElement;
import java.nio.charset.StandardCharsets;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's {@code Debug.printf(format, args...)} in a kernel: the device's C {@code printf}. The format is a string
 * literal whose conversions C writes as Java does: {@code %d} (int, long, short, byte), {@code %x %X} (int, long),
 * {@code %e %E %f %g %G} (float, double), {@code %c} (char), {@code %b} (boolean), {@code %n} and {@code %%}, with the
 * flags {@code - + space 0}, a width and (floating conversions) a precision. Anything else is rejected, since C would
 * print it otherwise or not at all. NaN and infinity
 * are spelled by each printf its own way ({@code NaN} in Java, {@code nan} in C).
 */
final class Printf {
    static final String DEBUG = "uk.ac.manchester.tornado.api.exceptions.Debug";
    /** Java's format specifier, as java.util.Formatter reads it. */
    private static final Pattern SPEC = Pattern.compile("%(\\d+\\$|<)?([-#+ 0,(]*)?(\\d+)?(\\.\\d+)?([tT])?([a-zA-Z%])");
    private static final String ALLOWED = "allowed: %d, %x, %X (int, long), %e, %E, %f, %g, %G (float, double), %c (char), %b (boolean), "
            + "%n and %%, with the flags - + space 0, a width and a precision";
    /** The argument types each conversion takes, and the value Java's own check of the format is given for each type. */
    private static final Map<Character, Set<String>> TYPES = Map.of(
            'd', Set.of("int", "long", "short", "byte"), 'x', Set.of("int", "long"), 'X', Set.of("int", "long"),
            'e', Set.of("float", "double"), 'E', Set.of("float", "double"), 'f', Set.of("float", "double"),
            'g', Set.of("float", "double"), 'G', Set.of("float", "double"), 'c', Set.of("char"), 'b', Set.of("boolean"));
    private static final Map<String, Object> SAMPLE = Map.of("int", 0, "long", 0L, "short", (short) 0, "byte", (byte) 0,
            "float", 0f, "double", 0d, "char", 'a', "boolean", false);

    private Printf() {
    }

    /** The C of a call of {@code Debug.printf}, or null when {@code m} is another method. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        if (!m.getEnclosingElement().toString().equals(DEBUG) || !m.getSimpleName().contentEquals("printf")) {
            return null;
        }
        List<? extends ExpressionTree> args = call.getArguments();
        if (!(args.get(0) instanceof LiteralTree literal) || !(literal.getValue() instanceof String format)) {
            throw new Rejected(args.get(0), "Debug.printf's format must be a string literal in a kernel; " + args.get(0) + " is not");
        }
        List<? extends ExpressionTree> values = args.subList(1, args.size());
        checkWithJava(s, literal, format, values);
        StringBuilder c = new StringBuilder();
        StringBuilder cArgs = new StringBuilder();
        Matcher spec = SPEC.matcher(format);
        int at = 0;
        int next = 0;
        while (spec.find()) {
            c.append(format, at, spec.start());
            at = spec.end();
            char conversion = spec.group(6).charAt(0);
            if (conversion == 'n' || conversion == '%') {
                c.append(conversion == 'n' ? "\n" : "%%");
                continue;
            }
            String flags = spec.group(2) == null ? "" : spec.group(2);
            if (spec.group(1) != null || spec.group(5) != null || !TYPES.containsKey(conversion) || flags.matches(".*[#,(].*")) {
                throw new Rejected(literal, "Debug.printf's " + spec.group() + " is not allowed in a kernel; " + ALLOWED);
            }
            ExpressionTree value = values.get(next++);
            String type = s.javaType(value);
            if (!TYPES.get(conversion).contains(type)) {
                throw new Rejected(value, "Debug.printf's " + spec.group() + " takes " + String.join(" or ", TYPES.get(conversion)) + " in a kernel; "
                        + value + " is " + type);
            }
            String width = (spec.group(3) == null ? "" : spec.group(3)) + (spec.group(4) == null ? "" : spec.group(4));
            // Java's %g keeps trailing zeros, as C's %#g does
            c.append('%').append(flags).append(conversion == 'g' || conversion == 'G' ? "#" : "").append(width);
            cArgs.append(", ").append(argument(s, e, conversion, type, value, c));
        }
        c.append(format.substring(at));
        return "printf(" + cString(c.toString()) + cArgs + ")";
    }

    /** The C argument of one conversion, once its conversion letter (with a length for a long) is appended to {@code c}. */
    private static String argument(MethodScope s, Expressions e, char conversion, String type, ExpressionTree value, StringBuilder c) {
        String v = unparen(e.expr(value));
        String longType = s.d.type("long");
        switch (conversion) {
            case 'b' -> {
                c.append('s');
                return "((" + v + ") ? \"true\" : \"false\")";
            }
            case 'c' -> {
                c.append('c');
                return "((int) (" + v + "))";
            }
            case 'e', 'E', 'f', 'g', 'G' -> {
                // a float travels as it is: C's varargs widen it to double, and OpenCL's printf takes it without fp64
                c.append(conversion);
                return v;
            }
            default -> {
                if (type.equals("long")) {
                    c.append(longType.equals("long long") ? "ll" : "l").append(conversion);
                    return "((" + longType + ") (" + v + "))";
                }
                c.append(conversion);
                return "((int) (" + v + "))";
            }
        }
    }

    /** Java's own check of the format against arguments of these types: what Java refuses to print, the kernel refuses to build. */
    private static void checkWithJava(MethodScope s, LiteralTree literal, String format, List<? extends ExpressionTree> values) {
        Object[] samples = new Object[values.size()];
        for (int i = 0; i < samples.length; i++) {
            String type = s.javaType(values.get(i));
            if (!SAMPLE.containsKey(type)) {
                throw new Rejected(values.get(i), "Debug.printf's arguments in a kernel must be int, long, short, byte, float, double, char or "
                        + "boolean values; " + values.get(i) + " is " + type);
            }
            samples[i] = SAMPLE.get(type);
        }
        try {
            String.format(format, samples);
        } catch (IllegalFormatException bad) {
            throw new Rejected(literal, "Debug.printf's format " + literal + " does not fit its arguments: " + bad.getMessage());
        }
        long conversions = SPEC.matcher(format).results().filter(r -> !r.group(6).equals("n") && !r.group(6).equals("%")).count();
        if (conversions != values.size()) {
            throw new Rejected(literal, "Debug.printf's format " + literal + " has " + conversions + " conversions for " + values.size() + " arguments");
        }
    }

    /** {@code text} as a C string literal: its UTF-8 bytes, those outside printable ASCII as octal escapes. */
    private static String cString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xFF;
            if (u == '"' || u == '\\') {
                out.append('\\').append((char) u);
            } else if (u == '\n') {
                out.append("\\n");
            } else if (u < 0x20 || u >= 0x7F) {
                out.append(String.format("\\%03o", u));
            } else {
                out.append((char) u);
            }
        }
        return out.append('"').toString();
    }
}

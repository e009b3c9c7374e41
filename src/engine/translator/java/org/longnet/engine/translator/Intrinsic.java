package org.longnet.engine.translator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java method a kernel calls that the translator does not translate from its body: its Java
 * method (in {@code org.longnet.engine.api}) is its meaning and what the jvm device runs; here is
 * the C each device runs for it, mostly a call of a runtime function of the same meaning
 * ({@code longnet_runtime.cl}, {@code longnet_runtime.cuh}).
 * <p>
 * Spellings name the arguments in braces, {@code {index}}, and an array method's array as
 * {@code {array}}. Each argument arrives translated, without parentheses around it; one that is an
 * array arrives as its C name, and must be passed by name as its {@link Param.Kind} says.
 *
 * @param owner   the simple name of the class that declares the method
 * @param name    the method's name
 * @param params  its parameters, in order
 * @param openCl  its OpenCL C spelling
 * @param cuda    its CUDA C spelling
 * @param effects what a kernel that calls it must know
 */
record Intrinsic(String owner, String name, List<Param> params, String openCl, String cuda, Set<Effect> effects) {
    private static final Pattern SIGNATURE = Pattern.compile("(\\w+)\\((.*)\\)");
    private static final Pattern PARAM = Pattern.compile("(?:(local|private|literal) )?(\\w+)(?:\\[(\\d*)])? (\\w+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    enum Effect {
        /** It waits for the whole work-group (the emulations of warp operations exchange through local memory). */
        BARRIER,
        /** On sm_90a matrix units read its local-memory tiles on their own, so barriers in its kernel fence for them. */
        MATRIX_UNITS
    }

    /**
     * One parameter: its Java type ({@code float[]}, {@code BFloat16Array}, {@code int}), name, and
     * what its argument must be.
     */
    record Param(Kind kind, String type, String name, int minLength) {
        enum Kind {
            /** Any expression of the type. */
            VALUE,
            /** A work-group local array ({@code context.allocate...LocalArray}), by name. */
            LOCAL,
            /** A private array of the calling method ({@code new float[N]}) with at least {@code minLength} elements, by name. */
            PRIVATE,
            /** An array parameter of the calling method, by name. */
            ARRAY_PARAMETER,
            /** An int literal, 0 or more. */
            LITERAL
        }
    }

    /**
     * A row of the table: {@code signature} as Java writes it, each array parameter marked {@code local}
     * or {@code private} (with a minimum length in its brackets, {@code private float[4] acc}), a
     * parameter that must be a literal marked {@code literal}.
     */
    static Intrinsic of(String owner, String signature, String openCl, String cuda, Effect... effects) {
        Matcher m = SIGNATURE.matcher(signature);
        if (!m.matches()) {
            throw new IllegalArgumentException("intrinsic signature " + signature);
        }
        List<Param> params = new ArrayList<>();
        for (String p : m.group(2).isBlank() ? new String[0] : m.group(2).split(", ")) {
            Matcher pm = PARAM.matcher(p);
            if (!pm.matches()) {
                throw new IllegalArgumentException("parameter '" + p + "' of intrinsic " + owner + "." + signature);
            }
            String type = pm.group(2) + (pm.group(3) == null ? "" : "[]");
            Param.Kind kind = pm.group(1) != null ? Param.Kind.valueOf(pm.group(1).toUpperCase())
                    : JavaTypes.isArray(JavaTypes.API + type) ? Param.Kind.ARRAY_PARAMETER : Param.Kind.VALUE;
            int minLength = pm.group(3) == null || pm.group(3).isEmpty() ? 0 : Integer.parseInt(pm.group(3));
            params.add(new Param(kind, type, pm.group(4), minLength));
        }
        Intrinsic intrinsic = new Intrinsic(owner, m.group(1), List.copyOf(params), openCl, cuda, Set.of(effects));
        intrinsic.checkPlaceholders(openCl);
        intrinsic.checkPlaceholders(cuda);
        return intrinsic;
    }

    /** {@code owner.name(types)}, as {@link Intrinsics#find} looks it up. */
    String key() {
        return key(owner, name, params.stream().map(Param::type).toList());
    }

    static String key(String owner, String name, List<String> parameterTypes) {
        return owner + "." + name + "(" + String.join(",", parameterTypes) + ")";
    }

    boolean has(Effect effect) {
        return effects.contains(effect);
    }

    /** Whether it is called on an array, which its spellings name {@code {array}}. */
    boolean onArray() {
        return JavaTypes.isArray(JavaTypes.API + owner);
    }

    /** {@code spelling} with each {@code {name}} replaced by the argument of that name. */
    static String fill(String spelling, Map<String, String> arguments) {
        Matcher m = PLACEHOLDER.matcher(spelling);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(arguments.get(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    private void checkPlaceholders(String spelling) {
        Matcher m = PLACEHOLDER.matcher(spelling);
        while (m.find()) {
            String name = m.group(1);
            if (!(name.equals("array") && onArray()) && params.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("intrinsic " + key() + " spells {" + name + "}, which is none of its parameters");
            }
        }
    }
}

import java.util.Locale;

/**
 * The source of TornadoVM's collections ({@code VectorFloat}, {@code VectorFloat4}, {@code VectorInt3}, ...), for
 * {@link GenerateSources}: each is a {@code VectorCollection} of its array type with TornadoVM's methods, and is marked
 * {@code @KernelView} of the engine's array, so that it travels to devices as the array does. The kernel translator
 * reads its {@code get}, {@code set}, {@code getLength} and {@code size} itself.
 */
final class CollectionSources {
    private CollectionSources() {
    }

    /** The collection of vectors of {@code lanes} lanes (1: of scalars) of {@code type} ({@code Float}, {@code Int}, {@code Double}, {@code Half}). */
    static String source(String type, int lanes) {
        String name = "Vector" + type + (lanes == 1 ? "" : lanes);
        boolean half = type.equals("Half");
        // fp16 lanes are HalfFloat values in a HalfFloatArray
        String lane = half ? "HalfFloat" : type.toLowerCase(Locale.ROOT);
        String array = (half ? "HalfFloat" : type) + "Array";
        String element = lanes == 1 ? lane : type + lanes;
        StringBuilder s = new StringBuilder("package uk.ac.manchester.tornado.api.types.collections;\n\n")
                .append("import org.longnet.engine.api.KernelView;\n")
                .append("import uk.ac.manchester.tornado.api.types.arrays.").append(array).append(";\n");
        if (half) {
            s.append("import uk.ac.manchester.tornado.api.types.HalfFloat;\n");
        }
        if (lanes > 1) {
            s.append("import uk.ac.manchester.tornado.api.types.vectors.").append(element).append(";\n");
        }
        s.append("\nimport java.util.StringJoiner;\n\n/**\n * TornadoVM's collection of {@code ").append(element).append("} values, held in one {@code ").append(array)
                .append("}, ").append(lanes).append(" element").append(lanes == 1 ? "" : "s").append(" each. In kernels {@code get(i)} and {@code set(i, v)} load\n")
                .append(" * and store vector {@code i}.\n */\n")
                .append("@KernelView(org.longnet.engine.api.").append(array).append(".class)\n")
                .append("public final class ").append(name).append(" extends VectorCollection<").append(array).append("> {\n")
                .append("    public static final Class<").append(name).append("> TYPE = ").append(name).append(".class;\n");
        member(s, "public " + name + "(int numElements)", "this(new " + array + "(numElements * " + lanes + "));");
        member(s, "public " + name + "(" + array + " array)", "super(array, " + lanes + ");");
        if (lanes == 1 && half) {
            halfScalarMethods(s, name, array);
        } else if (lanes == 1) {
            scalarMethods(s, name, lane, array);
        } else {
            member(s, "public " + element + " get(int index)", "int at = checked(index) * " + lanes + ";\n        return new " + element + "("
                    + lanesOf(lanes, l -> "storage.get(at + " + l + ")") + ");");
            member(s, "public void set(int index, " + element + " value)", "int at = checked(index) * " + lanes + ";\n"
                    + "        for (int l = 0; l < " + lanes + "; l++) {\n            storage.set(at + l, value.get(l));\n        }");
            member(s, "public " + element + " sum()", reduce(element, "add", "new " + element + "()", 0));
            if (!half) {
                // TornadoVM's fp16 vectors have no min or max
                member(s, "public " + element + " min()", reduce(element, "min", "get(0)", 1));
                member(s, "public " + element + " max()", reduce(element, "max", "get(0)", 1));
            }
        }
        member(s, "public void set(" + name + " values)", "storage.getSegment().copyFrom(values.storage.getSegment());");
        member(s, "public void set(" + array + " values)", "storage.getSegment().copyFrom(values.getSegment());");
        member(s, "public void fill(" + lane + " value)", "storage.init(value);");
        member(s, "public " + name + " duplicate()", name + " copy = new " + name + "(numElements);\n        copy.set(this);\n        return copy;");
        s.append("\n    @Override");
        member(s, "public String toString()", "StringJoiner out = new StringJoiner(\" \", \"[\", \"]\");\n"
                + "        for (int i = 0; i < numElements; i++) {\n            out.add(String.valueOf(get(i)));\n        }\n        return out.toString();");
        return s.append("}\n").toString();
    }

    /** What only the collections of scalars have: elements as values, sub-vectors, and whole-collection arithmetic. */
    private static void scalarMethods(StringBuilder s, String name, String lane, String array) {
        member(s, "public " + name + "(int numElements, " + array + " array)", "this(array.slice(0, numElements));");
        member(s, "public " + lane + " get(int index)", "return storage.get(checked(index));");
        member(s, "public void set(int index, " + lane + " value)", "storage.set(checked(index), value);");
        member(s, "public void set(" + lane + "[] values)", "for (int i = 0; i < values.length; i++) {\n            set(i, values[i]);\n        }");
        member(s, "public " + name + " subVector(int start, int length)", "return new " + name + "(storage.slice(start, length));");
        member(s, "public boolean isEqual(" + name + " vector)", "return java.util.Arrays.equals(storage.toHeapArray(), vector.storage.toHeapArray());");
        member(s, "public static " + lane + " min(" + name + " v)", fold(lane, "v", "Math.min(out, v.get(i))", "v.get(0)"));
        member(s, "public static " + lane + " max(" + name + " v)", fold(lane, "v", "Math.max(out, v.get(i))", "v.get(0)"));
        member(s, "public static " + lane + " dot(" + name + " a, " + name + " b)", fold(lane, "a", "out + a.get(i) * b.get(i)", "0"));
    }

    /** VectorHalf's: as {@link #scalarMethods}, with TornadoVM's fp16 arithmetic (each step rounded) and equality of the bits. */
    private static void halfScalarMethods(StringBuilder s, String name, String array) {
        member(s, "public " + name + "(int numElements, " + array + " array)", "this(array.slice(0, numElements));");
        member(s, "public HalfFloat get(int index)", "return storage.get(checked(index));");
        member(s, "public void set(int index, HalfFloat value)", "storage.set(checked(index), value);");
        member(s, "public void set(HalfFloat[] values)", "for (int i = 0; i < values.length; i++) {\n            set(i, values[i]);\n        }");
        member(s, "public " + name + " subVector(int start, int length)", "return new " + name + "(storage.slice(start, length));");
        member(s, "public boolean isEqual(" + name + " vector)", "return java.util.Arrays.equals(storage.toShortArray(), vector.storage.toShortArray());");
        member(s, "/** The products' sum, first to last, each product and sum rounded to fp16. */\n    public static HalfFloat dot(" + name + " a, "
                + name + " b)", "HalfFloat out = new HalfFloat(0f);\n"
                + "        for (int i = 0; i < a.getLength(); i++) {\n            out = HalfFloat.add(out, HalfFloat.mult(a.get(i), b.get(i)));\n        }\n"
                + "        return out;");
    }

    private static String fold(String lane, String over, String step, String start) {
        return lane + " out = " + start + ";\n        for (int i = 0; i < " + over + ".getLength(); i++) {\n            out = (" + lane + ") (" + step
                + ");\n        }\n        return out;";
    }

    /** The collection's vectors from {@code first} combined lane by lane with {@code op} ({@code add}, {@code min}, {@code max}), in order. */
    private static String reduce(String element, String op, String start, int first) {
        return element + " out = " + start + ";\n        for (int i = " + first + "; i < numElements; i++) {\n            out = " + element + "." + op
                + "(out, get(i));\n        }\n        return out;";
    }

    private static String lanesOf(int lanes, java.util.function.IntFunction<String> lane) {
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lanes; l++) {
            out.append(l == 0 ? "" : ", ").append(lane.apply(l));
        }
        return out.toString();
    }

    private static void member(StringBuilder s, String signature, String body) {
        s.append("\n    ").append(signature).append(" {\n        ").append(body).append("\n    }\n");
    }
}

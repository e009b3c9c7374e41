import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The source of TornadoVM's images and volumes of vectors ({@code ImageFloat4}, {@code ImageByte3}, {@code VolumeShort2},
 * ...), for {@link GenerateSources}: each is a {@code GridView} of its array type whose points are vectors, with TornadoVM's
 * methods, and is marked {@code @KernelView} of the engine's array with its number of dimensions, so that it travels to
 * devices as the array does with its extents. The kernel translator reads its {@code get}, {@code set}, {@code X()},
 * {@code Y()} and {@code Z()} itself.
 */
final class ImageSources {
    private ImageSources() {
    }

    /**
     * The image ({@code dimensions} 2) or volume (3) of vectors of {@code lanes} lanes of {@code type} ({@code Float},
     * {@code Byte}, {@code Short}).
     */
    static String source(String type, int lanes, int dimensions) {
        boolean image = dimensions == 2;
        String name = (image ? "Image" : "Volume") + type + lanes;
        String pkg = image ? "images" : "volumes";
        String lane = type.toLowerCase(Locale.ROOT);
        String array = type + "Array";
        String element = type + lanes;
        List<String> axes = List.of("x", "y", "z").subList(0, dimensions);
        String point = String.join(", ", axes.stream().map(a -> "int " + a).toList());
        String pointArgs = String.join(", ", axes);
        List<String> sizes = List.of("width", "height", "depth").subList(0, dimensions);
        String sizeParams = String.join(", ", sizes.stream().map(s -> "int " + s).toList());
        String sizeArgs = String.join(", ", sizes);
        StringBuilder s = new StringBuilder("package uk.ac.manchester.tornado.api.types.").append(pkg).append(";\n\n")
                .append("import org.longnet.engine.api.KernelView;\n")
                .append("import uk.ac.manchester.tornado.api.types.arrays.").append(array).append(";\n");
        if (!image) {
            s.append("import uk.ac.manchester.tornado.api.types.images.GridView;\n");
        }
        s.append("import uk.ac.manchester.tornado.api.types.vectors.").append(element).append(";\n\n")
                .append("import java.nio.").append(type).append("Buffer;\n")
                .append("import java.util.StringJoiner;\n\n/**\n * TornadoVM's ").append(image ? "image" : "volume").append(" of {@code ")
                .append(element).append("} values: ").append(image ? "X columns by Y rows" : "X columns by Y rows by Z slices")
                .append(" in one {@code ").append(array).append("}, x fastest,\n * ").append(lanes)
                .append(" elements a point. In kernels {@code get(").append(pointArgs).append(")} loads a vector, {@code set(").append(pointArgs)
                .append(", v)} stores one, and\n * {@code X()}").append(image ? " and {@code Y()}" : ", {@code Y()} and {@code Z()}")
                .append(" read the extents that arrive with the array.\n */\n")
                .append("@KernelView(value = org.longnet.engine.api.").append(array).append(".class, dimensions = ").append(dimensions).append(")\n")
                .append("public final class ").append(name).append(" extends GridView<").append(array).append("> {\n")
                .append("    public static final Class<").append(name).append("> TYPE = ").append(name).append(".class;\n");
        member(s, "/** A grid whose elements are {@code array}'s (not a copy), " + lanes + " a point. */\n    public " + name + "(" + sizeParams + ", "
                + array + " array)", "super(array, " + lanes + ", " + sizeArgs + ");");
        member(s, "/** A grid of zeros. */\n    public " + name + "(" + sizeParams + ")",
                "this(" + sizeArgs + ", new " + array + "(elements(\"" + name + "\", " + lanes + ", " + sizeArgs + ")));");
        if (!image) {
            member(s, "/** Slices. */\n    public int Z()", "return size(2);");
        }
        member(s, "public " + element + " get(" + point + ")", "return load(at(" + pointArgs + "));");
        member(s, "public void set(" + point + ", " + element + " value)", "store(at(" + pointArgs + "), value);");
        if (image) {
            member(s, "/** Point {@code i}, counted row by row. */\n    public " + element + " get(int i)", "return load(atPoint(i));");
            member(s, "public void set(int i, " + element + " value)", "store(atPoint(i), value);");
        }
        StringJoiner loaded = new StringJoiner(", ", "return new " + element + "(", ");");
        for (int l = 0; l < lanes; l++) {
            loaded.add("storage.get(at + " + l + ")");
        }
        member(s, "private " + element + " load(int at)", loaded.toString());
        member(s, "private void store(int at, " + element + " value)",
                "for (int l = 0; l < " + lanes + "; l++) {\n            storage.set(at + l, value.get(l));\n        }");
        member(s, "/** Sets every lane of every point to {@code value}. */\n    public void fill(" + lane + " value)", "storage.init(value);");
        member(s, "public " + name + " duplicate()", name + " copy = new " + name + "(" + String.join(", ",
                List.of("X()", "Y()", "Z()").subList(0, dimensions)) + ");\n        copy.set(this);\n        return copy;");
        member(s, "/** Copies {@code other}'s elements, which must have this grid's shape. */\n    public void set(" + name + " other)", "copyFrom(other);");
        member(s, "/** A heap copy of the elements, x fastest. */\n    public " + type + "Buffer asBuffer()",
                "return " + type + "Buffer.wrap(storage.toHeapArray());");
        member(s, "/** Sets the elements, x fastest, from the buffer's remaining ones. */\n    public void loadFromBuffer(" + type + "Buffer buffer)",
                "for (int i = 0; i < size() && buffer.hasRemaining(); i++) {\n            storage.set(i, buffer.get());\n        }");
        member(s, "/** The points, their lanes each written with {@code fmt}, a row a line. */\n    public String toString(String fmt)",
                "return rows(at -> lanes(fmt, at));");
        s.append("\n    /** The shape, and the points of a grid smaller than 16 in every direction. */\n    @Override");
        member(s, "public String toString()", "return describe(at -> lanes(\"" + (lane.equals("float") ? "%.3f" : "%d") + "\", at));");
        member(s, "private String lanes(String fmt, int at)", "StringJoiner out = new StringJoiner(\",\", \"{\", \"}\");\n"
                + "        for (int l = 0; l < " + lanes + "; l++) {\n            out.add(format(fmt, storage.get(at + l)));\n        }\n        return out.toString();");
        return s.append("}\n").toString();
    }

    private static void member(StringBuilder s, String signature, String body) {
        s.append("\n    ").append(signature).append(" {\n        ").append(body).append("\n    }\n");
    }
}

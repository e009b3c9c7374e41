package org.longnet.tornado.library;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link LibraryProvider}s on the class path, by library name; looked up once, on the first library call. */
public final class LibraryProviders {
    private static volatile Map<String, LibraryProvider> byName;

    private LibraryProviders() {
    }

    /** The provider of {@code library}, if a jar on the class path has one. */
    public static Optional<LibraryProvider> find(String library) {
        Map<String, LibraryProvider> providers = byName;
        if (providers == null) {
            providers = load();
            byName = providers;
        }
        return Optional.ofNullable(providers.get(library));
    }

    private static Map<String, LibraryProvider> load() {
        Map<String, LibraryProvider> providers = new HashMap<>();
        for (LibraryProvider p : ServiceLoader.load(LibraryProvider.class, LibraryProvider.class.getClassLoader())) {
            LibraryProvider other = providers.putIfAbsent(p.library(), p);
            if (other != null) {
                throw new IllegalStateException("two providers of the library " + p.library() + " on the class path: "
                        + other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return Map.copyOf(providers);
    }
}

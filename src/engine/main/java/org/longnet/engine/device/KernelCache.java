package org.longnet.engine.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Compiled device code on disk, keyed by a hash of the source, the device, the driver version
 * and the compiler options, so a second run skips the driver's compiler. The folder is
 * {@code -Dlongnet.cache=DIR}, else {@code $LONGNET_CACHE}, else {@code ~/.cache/longnet/kernels};
 * {@code -Dlongnet.cache=off} disables it. Entries are written atomically.
 */
public final class KernelCache {
    private final Path dir;

    private KernelCache(Path dir) {
        this.dir = dir;
    }

    public static KernelCache fromSettings() {
        String setting = System.getProperty("longnet.cache", System.getenv("LONGNET_CACHE"));
        if (setting != null && setting.isBlank()) {
            setting = null;
        }
        if ("off".equals(setting)) {
            return new KernelCache(null);
        }
        Path dir = setting != null ? Path.of(setting) : Path.of(System.getProperty("user.home"), ".cache", "longnet", "kernels");
        return new KernelCache(dir);
    }

    public static String key(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(p.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<byte[]> get(String key, String extension) {
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve(key + "." + extension);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // an unreadable entry is only a slower start
        }
    }

    public void put(String key, String extension, byte[] binary) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, binary);
            try {
                Files.move(tmp, dir.resolve(key + "." + extension), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + "." + extension), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("longnet: cannot write the kernel cache in " + dir + " (" + e.getMessage() + "); continuing without it");
        }
    }
}

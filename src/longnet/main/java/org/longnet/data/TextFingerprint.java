package org.longnet.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What identifies a training text: its size and SHA-256, kept in each checkpoint, so that a run resumed on
 * a text found at another path (or changed at its old one) is known to be the same text or refused.
 */
public record TextFingerprint(long bytes, String sha256) {
    public TextFingerprint {
        if (bytes < 0 || sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a text fingerprint needs a size >= 0 and 64 hex digits of SHA-256, was " + bytes
                    + " bytes and " + sha256);
        }
    }

    /** For messages: "6,011,520 bytes, sha256 3f2a9c0d…". */
    @Override
    public String toString() {
        return String.format("%,d bytes, sha256 %s…", bytes, sha256.substring(0, 12));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", bytes);
        m.put("sha256", sha256);
        return m;
    }

    public static TextFingerprint fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m) || !(m.get("bytes") instanceof Long bytes) || !(m.get("sha256") instanceof String sha)) {
            throw new IllegalArgumentException("the text's fingerprint must hold bytes and sha256, was " + json);
        }
        return new TextFingerprint(bytes, sha);
    }
}

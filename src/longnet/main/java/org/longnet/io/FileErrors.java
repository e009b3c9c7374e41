package org.longnet.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why a file operation failed, in words. Java's file exceptions often carry only the path as their
 * message ({@code AccessDeniedException}, {@code NoSuchFileException}), and a failed write only the
 * system's reason ("No space left on device"), so a message built from either alone says half.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** The reason alone, lower case: "permission denied", "no such file or folder", "no space left on device", ... */
    public static String reason(IOException e) {
        String reason = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or folder";
            case NotDirectoryException n -> "not a folder";
            case FileAlreadyExistsException f -> "it exists already";
            case DirectoryNotEmptyException d -> "the folder is not empty";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            case CharacterCodingException c -> "it is not UTF-8 text";
            default -> e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
        };
        return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * A whole message: a file-system exception becomes "PATH: reason" (or "PATH -> OTHER: reason" for a move),
     * any other exception its own message, or its reason where it has no message.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason(e);
        }
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : reason(e);
    }
}

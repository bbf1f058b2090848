package dev.segspark.evaluation;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The one translation of an {@link IOException} into the reason a user can act on ("permission
 * denied", "no such file", "is a directory"): {@code java.nio} puts only the path in the message of
 * its most common exceptions, so their message alone says nothing.
 */
public final class IoErrors {
  private IoErrors() {}

  /** The reason, in a few lowercase words. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
    if (reason == null || reason.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }

  /** "Cannot read {@code path}: reason", as bad input naming the file. */
  public static InvalidInputException unreadable(String path, IOException e) {
    return new InvalidInputException(path, "Cannot read " + path + ": " + reason(e), e);
  }
}

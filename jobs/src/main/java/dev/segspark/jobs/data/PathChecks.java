package dev.segspark.jobs.data;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the paths a job was given, run on the driver before any Spark work (the CLI runs them
 * before it even builds the session). A path that names nothing, or the wrong kind of thing, is bad
 * usage ({@link IllegalArgumentException}, exit 2); a folder the job may not write is a failure
 * ({@link InvalidInputException}, exit 1), like any other permission problem.
 */
public final class PathChecks {
  private PathChecks() {}

  /** {@code path} is a folder: "Cannot ACTION: WHAT does not exist (PATH)" or "is not a folder". */
  public static void requireFolder(Path path, String what, String action) {
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(
          "Cannot " + action + ": " + what + missingOr(path, " is not a folder") + path + ")");
    }
  }

  /** {@code path} is a regular file. */
  public static void requireFile(Path path, String what, String action) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "Cannot " + action + ": " + what + missingOr(path, " is not a file") + path + ")");
    }
  }

  private static String missingOr(Path path, String wrongKind) {
    return (Files.exists(path) ? wrongKind : " does not exist") + " (";
  }

  /**
   * {@code out} is a folder the job can write, or can be created: the nearest existing folder on
   * its path is a writable folder. Nothing is created.
   */
  public static void requireWritableFolder(Path out, String what, String action) {
    Path abs = out.toAbsolutePath();
    if (Files.isSymbolicLink(abs) && !Files.exists(abs)) {
      throw new IllegalArgumentException(
          "Cannot " + action + ": " + what + " is a link to nothing (" + out + ")");
    }
    Path existing = abs;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          "Cannot "
              + action
              + ": "
              + what
              + (existing.equals(abs)
                  ? " is a file, not a folder"
                  : " is below a file, " + existing)
              + " ("
              + out
              + ")");
    }
    if (!Files.isWritable(existing)) {
      throw new InvalidInputException(
          out.toString(),
          "Cannot "
              + action
              + ": "
              + what
              + " is not writable, permission denied"
              + (existing.equals(abs) ? "" : " in " + existing)
              + " ("
              + out
              + ")");
    }
  }

  /** Whether two paths name the same place, links resolved as far as the paths exist. */
  public static boolean samePlace(Path a, Path b) {
    return resolved(a).equals(resolved(b));
  }

  /** The absolute path with links resolved as far as the path exists. */
  private static Path resolved(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }
}

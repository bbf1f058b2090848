package dev.segspark.udfs.io;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Atomic, idempotent file writes for executors: the bytes go to a hidden temp file in the target's
 * folder, then one rename puts them in place. A reader sees the old file or the whole new one,
 * never a part; a retried or speculative task writing the same bytes leaves the same file; a task
 * killed mid-write leaves at most a {@code .tmp} file that is never mistaken for a mask.
 */
public final class AtomicFiles {
  /** Suffix of in-flight temp files. */
  public static final String TMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Writes {@code data} to {@code target}, creating parent folders. */
  public static void write(Path target, byte[] data) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), TMP_SUFFIX);
      Files.write(tmp, data);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new InvalidInputException(
          target.toString(), "Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a leftover .tmp file is never read as a mask
        }
      }
    }
  }
}

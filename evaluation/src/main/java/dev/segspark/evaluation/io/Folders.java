package dev.segspark.evaluation.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of output files and folders (report sets, staging folders, Parquet tables). */
public final class Folders {
  private Folders() {}

  /** Deletes a file or a folder tree; absent (or a dangling link's target) is fine. */
  public static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** {@link #delete} as best effort, for hidden staging folders the next run removes anyway. */
  public static void deleteQuietly(Path p) {
    try {
      delete(p);
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: what is left is hidden and removed by the next run into the folder
    }
  }
}

package dev.segspark.evaluation.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removal and moves of output files and folders (report sets, staging folders, Parquet tables). */
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

  /**
   * Moves a staged file or folder to {@code target} (absent): one atomic rename where the store has
   * one (local disks, HDFS); on stores without (object stores) a copy of each file, then removal of
   * the source. Callers move the file that marks a set as complete last, so a reader never takes a
   * half-copied set for a whole one.
   */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      copyTree(source, target);
      delete(source);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      // a table's _SUCCESS says that the files beside it are whole: it goes last
      List<Path> entries = new ArrayList<>(walk.toList());
      entries.sort(Comparator.comparing(p -> p.getFileName().toString().equals("_SUCCESS")));
      for (Path p : entries) {
        Path t = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}

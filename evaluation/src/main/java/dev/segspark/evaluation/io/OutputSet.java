package dev.segspark.evaluation.io;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files of one folder that belong together and are committed as a unit: a report set ({@code
 * report.json}, {@code report.md}, ..., {@code per_image.parquet}) or a labelling run's {@code
 * manifest.parquet} and {@code panoptic.json}. One of them, the <em>marker</em>, says that the set
 * is there and whole.
 *
 * <ol>
 *   <li>{@link #open}: the previous set is removed, its marker first, then the other names; then
 *       the staging folders of killed runs ({@code .segspark-staging-*}); then a fresh hidden
 *       staging folder is made inside the folder (same filesystem, so moves are renames).
 *   <li>The job writes the new set into {@link #staging()}.
 *   <li>{@link #commit()}: each staged file or folder is renamed into place, the marker last; the
 *       staging folder is removed. {@link #close()} without a commit removes the staging folder.
 * </ol>
 *
 * <p>On stores without an atomic rename (object stores) each staged file is copied into place
 * instead ({@link Folders#move}); the marker still comes last, so the guarantees below hold.
 *
 * <p>What a reader of the folder sees, at any instant and after a kill at any point:
 *
 * <ul>
 *   <li>If the marker is there, every file of the set is there and comes from the run that wrote
 *       the marker.
 *   <li>Files of two runs are never there together: the old set is gone before a new file arrives.
 *   <li>A run that fails (the job exits 1) or is killed leaves no marker: the previous set is
 *       <em>gone</em>, never left looking current. Without a marker, what is there is at most part
 *       of one run's set (a kill while committing) and is removed by the next run into the folder.
 * </ul>
 *
 * <p>Other files in the folder are never touched. One run at a time per folder: a run removes the
 * staging folders it finds.
 */
public final class OutputSet implements AutoCloseable {
  /** Name prefix of staging folders. */
  public static final String STAGING_PREFIX = ".segspark-staging-";

  /** How a staged entry is moved into place (a seam for tests that inject failures). */
  @FunctionalInterface
  interface Mover {
    void move(Path source, Path target) throws IOException;
  }

  private final Path dir;
  private final String marker;
  private final List<String> others;
  private final Path staging;
  private final Mover mover;
  private boolean committed;

  private OutputSet(Path dir, String marker, List<String> others, Path staging, Mover mover) {
    this.dir = dir;
    this.marker = marker;
    this.others = others;
    this.staging = staging;
    this.mover = mover;
  }

  /**
   * Removes the previous set from {@code dir} and opens a new one.
   *
   * @param dir the output folder (created if absent)
   * @param marker the name whose presence says that the set is there and whole
   * @param others the other names of the set (files or folders)
   * @return the open set; write into {@link #staging()}, then {@link #commit()}
   * @throws InvalidInputException naming the folder when it cannot be prepared
   */
  public static OutputSet open(Path dir, String marker, List<String> others) {
    return open(dir, marker, others, Folders::move);
  }

  static OutputSet open(Path dir, String marker, List<String> others, Mover mover) {
    Path abs = dir.toAbsolutePath();
    try {
      Files.createDirectories(abs);
      Folders.delete(abs.resolve(marker));
      for (String name : others) {
        Folders.delete(abs.resolve(name));
      }
      try (Stream<Path> entries = Files.list(abs)) {
        for (Path p : entries.toList()) {
          if (p.getFileName().toString().startsWith(STAGING_PREFIX)) {
            Folders.delete(p);
          }
        }
      }
      Path staging = Files.createDirectory(abs.resolve(STAGING_PREFIX + UUID.randomUUID()));
      return new OutputSet(abs, marker, List.copyOf(others), staging, mover);
    } catch (IOException e) {
      throw new InvalidInputException(
          dir.toString(), "Cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The hidden folder to write the new set into, under the set's names. */
  public Path staging() {
    return staging;
  }

  /**
   * Moves the staged set into place, the marker last. On failure the entries already moved are
   * removed again, so the folder holds no part of the set.
   *
   * @throws IllegalStateException if the marker was not staged
   * @throws InvalidInputException naming the folder when a move fails
   */
  public void commit() {
    if (!Files.exists(staging.resolve(marker))) {
      throw new IllegalStateException("Cannot commit " + dir + ": " + marker + " was not written");
    }
    List<String> order = new ArrayList<>(others);
    order.add(marker);
    List<Path> moved = new ArrayList<>();
    try {
      for (String name : order) {
        Path source = staging.resolve(name);
        if (Files.exists(source)) {
          Path target = dir.resolve(name);
          Folders.delete(target);
          mover.move(source, target);
          moved.add(target);
        }
      }
    } catch (IOException e) {
      moved.forEach(Folders::deleteQuietly);
      throw new InvalidInputException(
          dir.toString(), "Cannot write " + dir + ": " + e.getMessage(), e);
    }
    committed = true;
    Folders.deleteQuietly(staging);
  }

  /** Removes the staging folder unless the set was committed. */
  @Override
  public void close() {
    if (!committed) {
      Folders.deleteQuietly(staging);
    }
  }
}

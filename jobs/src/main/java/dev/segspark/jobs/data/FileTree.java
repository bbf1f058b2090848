package dev.segspark.jobs.data;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.IoErrors;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one way every job lists the files under a folder (ground truth, predictions, input images).
 *
 * <p>Symbolic links are followed, to files and to folders, the root included, as a shell or
 * cityscapesScripts' {@code glob} sees the tree: a dataset assembled from links is listed whole.
 * Paths keep the names seen through the links (the outputs mirror them), not the link targets.
 *
 * <p>Nothing is dropped silently. A link loop (a link to a folder above it) fails naming the link:
 * a loop is almost always a mistake, and cutting the branch would hide it. A folder that cannot be
 * read fails with the reason and the path (e.g. permission denied). A link whose target is missing
 * is listed like a file when its name matches, so the job reports it per image ("no such file")
 * instead of leaving it out.
 */
public final class FileTree {
  private FileTree() {}

  /**
   * Files under {@code root} (recursively, links followed) that {@code accept} takes, sorted.
   *
   * @param root the folder to list
   * @param accept takes the path of each file (as seen under {@code root})
   * @param exclude a folder whose subtree is not listed (wherever links make it appear), or null
   * @throws InvalidInputException if a folder cannot be read or a link loops
   */
  public static List<Path> files(Path root, Predicate<Path> accept, Path exclude) {
    if (FsPaths.isHadoop(root)) {
      return storeFiles(root, accept, exclude);
    }
    Collector collector = new Collector(root, accept, exclude);
    try {
      Files.walkFileTree(
          root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, collector);
    } catch (IOException e) {
      throw failure(root, e);
    }
    collector.files.sort(null);
    return collector.files;
  }

  /** Files under a folder on a Hadoop store, listed by the store (no symbolic links there). */
  private static List<Path> storeFiles(Path root, Predicate<Path> accept, Path exclude) {
    Path skip = exclude == null ? null : exclude.toAbsolutePath();
    List<Path> files = new ArrayList<>();
    try {
      for (Path file : FsPaths.listFiles(root)) {
        if ((skip == null || !file.startsWith(skip)) && accept.test(file)) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw failure(root, e);
    }
    files.sort(null);
    return files;
  }

  /** A listing error as a data error: "Cannot list ROOT: REASON (PATH)". */
  static InvalidInputException failure(Path root, IOException e) {
    String path = e instanceof FileSystemException f ? f.getFile() : null;
    String where = path == null ? root.toString() : path;
    return new InvalidInputException(
        where, "Cannot list " + root + ": " + reason(e, where) + " (" + where + ")", e);
  }

  private static String reason(IOException e, String where) {
    if (e instanceof FileSystemLoopException) {
      return "symbolic link loop, the link leads back to " + realPath(where) + "a folder above it";
    }
    return IoErrors.reason(e);
  }

  /** The folder a looping link resolves to, with a separator, or nothing if it cannot say. */
  private static String realPath(String path) {
    try {
      return Path.of(path).toRealPath() + ", ";
    } catch (IOException e) {
      return "";
    }
  }

  private static final class Collector extends SimpleFileVisitor<Path> {
    private final Path root;
    private final Predicate<Path> accept;
    private final Path exclude;
    private final List<Path> files = new ArrayList<>();

    Collector(Path root, Predicate<Path> accept, Path exclude) {
      this.root = root;
      this.accept = accept;
      this.exclude = exclude != null && Files.isDirectory(exclude) ? exclude : null;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
        throws IOException {
      return exclude != null && Files.isSameFile(dir, exclude)
          ? FileVisitResult.SKIP_SUBTREE
          : FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      // with FOLLOW_LINKS, a link's attributes are its target's unless the target is missing
      if ((attrs.isRegularFile() || attrs.isSymbolicLink()) && accept.test(file)) {
        files.add(file);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      throw failure(root, e);
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
      if (e != null) {
        throw failure(root, e);
      }
      return FileVisitResult.CONTINUE;
    }
  }
}

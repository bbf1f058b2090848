package dev.segspark.jobs.data;

import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.partition.LabelItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Lists the images to label from {@code --images}: a folder (searched recursively for PNG, JPEG and
 * BMP files), a glob ({@code data/**}{@code /*_leftImg8bit.png}) or a single file. Each image keeps
 * its path relative to the folder (the glob's fixed prefix), which the outputs mirror. Folders are
 * listed by {@link FileTree}: links are followed, nothing is dropped silently.
 */
public final class ImageLister {
  private ImageLister() {}

  /** Where {@code --images} points: the folder searched and, for a glob, the pattern below it. */
  private record Source(Path folder, PathMatcher matcher, Path file) {}

  /**
   * The folder {@code --images} searches (the folder, or the glob's fixed prefix), or null when it
   * names one file; checks that it exists.
   *
   * @throws IllegalArgumentException if it does not exist or is a Hadoop-FS URI (bad usage)
   */
  public static Path folder(String images) {
    return source(images).folder;
  }

  /**
   * The images, sorted by relative path.
   *
   * @param images folder, glob or file
   * @param exclude a folder not to search (the job's output folder), or null
   */
  public static List<LabelItem> list(String images, Path exclude) {
    Source s = source(images);
    if (s.file != null) {
      return List.of(new LabelItem(s.file.toString(), s.file.getFileName().toString()));
    }
    Path base = s.folder;
    return FileTree.files(base, p -> isImage(base, s.matcher, p), exclude).stream()
        .map(p -> new LabelItem(p.toString(), base.relativize(p).toString()))
        .toList();
  }

  private static boolean isImage(Path base, PathMatcher matcher, Path p) {
    String name = p.getFileName().toString();
    if (name.startsWith(".")) {
      return false; // hidden files: editor and OS sidecars (._x.png), temp files of interrupted
      // runs
    }
    return matcher != null
        ? matcher.matches(base.relativize(p))
        : SampleLister.IMAGES.stream().anyMatch(name::endsWith);
  }

  private static Source source(String images) {
    String spec = images;
    int glob = firstGlobChar(spec);
    if (glob < 0) {
      Path p = FsPaths.of(spec).toAbsolutePath();
      if (Files.isRegularFile(p)) {
        return new Source(null, null, p);
      }
      if (!Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            "Cannot label: --images does not exist (" + images + ")");
      }
      return new Source(p, null, null);
    }
    int slash = spec.lastIndexOf('/', glob);
    Path base =
        FsPaths.of(slash < 0 ? "." : spec.substring(0, Math.max(1, slash))).toAbsolutePath();
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException(
          "Cannot label: folder of --images glob does not exist (" + base + ")");
    }
    String rest = slash < 0 ? spec : spec.substring(slash + 1);
    return new Source(base, base.getFileSystem().getPathMatcher("glob:" + rest), null);
  }

  private static int firstGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}

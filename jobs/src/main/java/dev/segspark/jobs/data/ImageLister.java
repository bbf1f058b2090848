package dev.segspark.jobs.data;

import dev.segspark.udfs.partition.LabelItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the images to label from {@code --images}: a folder (searched recursively for PNG, JPEG and
 * BMP files), a glob ({@code data/**}{@code /*_leftImg8bit.png}) or a single file. Each image keeps
 * its path relative to the folder (the glob's fixed prefix), which the outputs mirror.
 */
public final class ImageLister {
  private ImageLister() {}

  /** The images, sorted by relative path. */
  public static List<LabelItem> list(String images) {
    if (images.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*") && !images.startsWith("file://")) {
      throw new IllegalArgumentException(
          "Cannot label "
              + images
              + ": images must be on a local or shared filesystem (Hadoop-FS image URIs are not"
              + " supported yet; model files may be Hadoop-FS URIs)");
    }
    String spec = images.startsWith("file://") ? images.substring("file://".length()) : images;
    int glob = firstGlobChar(spec);
    if (glob < 0) {
      Path p = Path.of(spec);
      if (Files.isRegularFile(p)) {
        Path abs = p.toAbsolutePath();
        return List.of(new LabelItem(abs.toString(), abs.getFileName().toString()));
      }
      if (!Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            "Cannot label: --images does not exist (" + images + ")");
      }
      return walk(p.toAbsolutePath(), null);
    }
    int slash = spec.lastIndexOf('/', glob);
    Path base = Path.of(slash < 0 ? "." : spec.substring(0, Math.max(1, slash))).toAbsolutePath();
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException(
          "Cannot label: folder of --images glob does not exist (" + base + ")");
    }
    String rest = slash < 0 ? spec : spec.substring(slash + 1);
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    return walk(base, matcher);
  }

  private static int firstGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static List<LabelItem> walk(Path base, PathMatcher matcher) {
    try (Stream<Path> files = Files.walk(base)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p ->
                  matcher != null
                      ? matcher.matches(base.relativize(p))
                      : SampleLister.IMAGES.stream().anyMatch(p.getFileName().toString()::endsWith))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .map(p -> new LabelItem(p.toString(), base.relativize(p).toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + base + ": " + e.getMessage(), e);
    }
  }
}

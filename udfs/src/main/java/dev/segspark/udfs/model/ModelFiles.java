package dev.segspark.udfs.model;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;

/**
 * Makes a model file local: local paths are used in place; any other Hadoop-FS URI (hdfs://,
 * s3a://, gs://, abfs://, ...) is copied once per JVM into {@code java.io.tmpdir/segspark-models}
 * (temp file, then atomic rename, so concurrent tasks and executors sharing a disk never see a
 * partial copy); a copy on disk is reused while the remote file's length and modification time are
 * unchanged.
 */
public final class ModelFiles {
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ModelFiles() {}

  /** The local path of {@code location}, copying it first if it is remote. */
  public static Path local(String location) {
    if (!ModelSpecs.hasScheme(location)) {
      return readable(Path.of(location), location);
    }
    return COPIES.computeIfAbsent(location, ModelFiles::copy);
  }

  private static Path readable(Path path, String location) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidInputException(
          location, "Cannot load model " + location + ": no such file or not readable");
    }
    return path;
  }

  private static Path copy(String location) {
    URI uri = URI.create(location);
    String name = Path.of(uri.getPath()).getFileName().toString();
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "segspark-models", digest(location));
    Path target = dir.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(dir);
      FileSystem fs = FileSystem.get(uri, FsPaths.configuration());
      Path tmp = Files.createTempFile(dir, name, ".part");
      try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          location, "Cannot load model " + location + ": copy failed (" + e.getMessage() + ")", e);
    }
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

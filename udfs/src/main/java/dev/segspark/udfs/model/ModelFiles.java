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
import java.security.DigestInputStream;
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
 * unchanged. A {@code classpath:} location (a shipped model packed into the segspark-udfs jar, see
 * {@link ModelSpecs#resolve(String)}) is extracted once per JVM into the same folder, under the
 * digest of its bytes, so every executor finds it in the jar Spark gave it and a newer jar never
 * reuses an older extraction.
 */
public final class ModelFiles {
  /** The scheme of a model file packed into a jar on the class path. */
  public static final String CLASSPATH = "classpath:";

  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ModelFiles() {}

  /** The local path of {@code location}, copying it first if it is remote. */
  public static Path local(String location) {
    if (!ModelSpecs.hasScheme(location)) {
      return readable(Path.of(location), location);
    }
    if (location.startsWith(CLASSPATH)) {
      return COPIES.computeIfAbsent(location, ModelFiles::extract);
    }
    return COPIES.computeIfAbsent(location, ModelFiles::copy);
  }

  /** The class loader that holds segspark's own resources (Spark's jar loader on executors). */
  static ClassLoader loader() {
    ClassLoader own = ModelFiles.class.getClassLoader();
    return own != null ? own : ClassLoader.getSystemClassLoader();
  }

  private static Path extract(String location) {
    String resource = location.substring(CLASSPATH.length());
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "segspark-models");
    try (InputStream in = loader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new InvalidInputException(
            location, "Cannot load model " + location + ": no such resource on the class path");
      }
      Files.createDirectories(cache);
      Path tmp = Files.createTempFile(cache, name, ".part");
      MessageDigest sha = sha256();
      try (InputStream digesting = new DigestInputStream(in, sha)) {
        Files.copy(digesting, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Path target = cache.resolve(HexFormat.of().formatHex(sha.digest(), 0, 8)).resolve(name);
      if (Files.isRegularFile(target)) {
        Files.delete(tmp); // the same bytes, extracted earlier (by this or another JVM)
        return target;
      }
      Files.createDirectories(target.getParent());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new InvalidInputException(
          location, "Cannot load model " + location + ": extraction failed (" + e + ")", e);
    }
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
    byte[] d = sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

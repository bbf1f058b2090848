package dev.segspark.udfs.io.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Paths from the strings users give: a plain path or a {@code file:} URI is a local {@link Path};
 * any other URI ({@code hdfs://nn:8020/data}, {@code s3a://bucket/x}, {@code gs://}, {@code
 * abfs://}, whatever Hadoop's {@code FileSystem} resolves) is a path on that store, which {@code
 * java.nio.file.Files} reads, lists and writes through Hadoop ({@link HadoopFileSystemProvider}).
 *
 * <p>The Hadoop configuration is Spark's where a Spark environment runs (driver and executors:
 * {@code spark.hadoop.*} applied), else Hadoop's defaults ({@code core-site.xml} on the classpath).
 * Renames count as atomic on {@value #ATOMIC_RENAME_DEFAULT} (override: {@code
 * spark.hadoop.segspark.fs.atomic-rename-schemes}); on the other stores writers write each object
 * once, in place.
 */
public final class FsPaths {
  /** Schemes whose rename is atomic by default. */
  public static final String ATOMIC_RENAME_DEFAULT = "file,hdfs,viewfs,webhdfs,swebhdfs,o3fs,ofs";

  /** The Hadoop configuration key that overrides {@link #ATOMIC_RENAME_DEFAULT}. */
  public static final String ATOMIC_RENAME_KEY = "segspark.fs.atomic-rename-schemes";

  private static final Pattern URI_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

  private static final Map<URI, HadoopNioFileSystem> STORES = new ConcurrentHashMap<>();

  private FsPaths() {}

  /**
   * The path a user's string names.
   *
   * @throws IllegalArgumentException when the URI is malformed or no Hadoop file system serves its
   *     scheme
   */
  public static Path of(String location) {
    if (!URI_LIKE.matcher(location).matches()) {
      return Path.of(location);
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "Cannot read the location " + location + ": not a valid URI (" + e.getReason() + ")", e);
    }
    if (uri.getScheme().equalsIgnoreCase("file")) {
      return Path.of(uri);
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    return fileSystem(uri).getPath(path);
  }

  /** Whether a path is on a Hadoop store (not the local file system). */
  public static boolean isHadoop(Path path) {
    return path instanceof HadoopPath;
  }

  /** A path as Hadoop and Spark read it: the URI of a store path, the plain local path else. */
  public static String uri(Path path) {
    return isHadoop(path) ? path.toUri().toString() : path.toString();
  }

  /** The NIO file system of a store, one per scheme and authority. */
  static HadoopNioFileSystem fileSystem(URI uri) {
    URI key = URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + authority(uri) + "/");
    return STORES.computeIfAbsent(key, FsPaths::open);
  }

  private static String authority(URI uri) {
    return uri.getAuthority() == null ? "" : uri.getAuthority();
  }

  private static HadoopNioFileSystem open(URI key) {
    Configuration conf = configuration();
    Set<String> atomic =
        Set.of(
            conf.get(ATOMIC_RENAME_KEY, ATOMIC_RENAME_DEFAULT)
                .toLowerCase(Locale.ROOT)
                .replace(" ", "")
                .split(","));
    try {
      return new HadoopNioFileSystem(key, conf, atomic.contains(key.getScheme()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot open "
              + key
              + ": "
              + e.getMessage()
              + " (is the store's Hadoop client on the"
              + " classpath, e.g. hadoop-aws for s3a://?)",
          e);
    }
  }

  /** Spark's Hadoop configuration where Spark runs (driver or executor), else Hadoop's defaults. */
  public static Configuration configuration() {
    SparkEnv env = SparkEnv.get();
    return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
  }

  /** Whether writes under {@code path} can rely on an atomic rename. */
  public static boolean atomicRename(Path path) {
    return !isHadoop(path) || ((HadoopNioFileSystem) path.getFileSystem()).atomicRename();
  }
}

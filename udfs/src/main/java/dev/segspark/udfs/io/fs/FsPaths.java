package dev.segspark.udfs.io.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
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
    return STORES.computeIfAbsent(key, HadoopNioFileSystem::new);
  }

  private static String authority(URI uri) {
    return uri.getAuthority() == null ? "" : uri.getAuthority();
  }

  /** The schemes whose rename counts as atomic under {@code conf}. */
  static Set<String> atomicSchemes(Configuration conf) {
    return Set.of(
        conf.get(ATOMIC_RENAME_KEY, ATOMIC_RENAME_DEFAULT)
            .toLowerCase(Locale.ROOT)
            .replace(" ", "")
            .split(","));
  }

  /**
   * Spark's Hadoop configuration: the running Spark environment's (driver or executor), else the
   * one Spark will have (the {@code spark.*} system properties, which is how spark-submit and
   * {@code -Dspark.hadoop.*} pass settings), so that a store opened before the session starts (path
   * checks) gets the same {@code spark.hadoop.*} settings as one opened after.
   */
  public static Configuration configuration() {
    SparkEnv env = SparkEnv.get();
    SparkConf conf = env == null ? new SparkConf() : env.conf();
    Configuration hadoop = SparkHadoopUtil.get().newConfiguration(conf);
    String[] sources = hadoop.getPropertySources(HDFS_CLOSE_DELAY_KEY);
    if (sources == null || java.util.Arrays.asList(sources).equals(List.of("hdfs-default.xml"))) {
      hadoop.setInt(HDFS_CLOSE_DELAY_KEY, HDFS_CLOSE_DELAY_MS);
    }
    return hadoop;
  }

  /**
   * HDFS client: the first wait before a file's close asks the NameNode again whether the file is
   * complete (Hadoop's default 400 ms, then doubling). The first ask fails whenever the DataNode's
   * report of the last block has not reached the NameNode yet, which for small files is most of
   * them: 400 ms per mask. segspark starts at {@value #HDFS_CLOSE_DELAY_MS} ms unless the
   * configuration sets the key.
   */
  static final String HDFS_CLOSE_DELAY_KEY =
      "dfs.client.block.write.locateFollowingBlock.initial.delay.ms";

  private static final int HDFS_CLOSE_DELAY_MS = 20;

  /** Whether writes under {@code path} can rely on an atomic rename. */
  public static boolean atomicRename(Path path) {
    return !isHadoop(path) || ((HadoopNioFileSystem) path.getFileSystem()).atomicRename();
  }

  /** Folders listed at once on stores listed folder by folder (HDFS: one call per folder). */
  private static final int LISTING_THREADS = 16;

  /**
   * Every file under a store folder, recursively. Object stores (no atomic rename) are listed flat
   * by prefix, a thousand keys a call; stores with real folders (HDFS) folder by folder, {@value
   * #LISTING_THREADS} folders at once, so a tree of many folders is not listed one call after the
   * other.
   *
   * @throws java.nio.file.NoSuchFileException when {@code root} does not exist
   */
  public static List<Path> listFiles(Path root) throws IOException {
    HadoopPath dir = (HadoopPath) root.toAbsolutePath();
    HadoopNioFileSystem store = (HadoopNioFileSystem) dir.getFileSystem();
    try {
      if (!store.atomicRename()) {
        List<Path> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = store.hadoop().listFiles(dir.hadoop(), true);
        while (it.hasNext()) {
          files.add(store.getPath(it.next().getPath().toUri().getPath()));
        }
        return files;
      }
      if (!store.hadoop().getFileStatus(dir.hadoop()).isDirectory()) {
        throw new java.nio.file.NotDirectoryException(dir.toString());
      }
      ForkJoinPool pool = new ForkJoinPool(LISTING_THREADS);
      try {
        return pool.invoke(new FolderListing(store, dir.hadoop()));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } finally {
        pool.shutdown();
      }
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(dir.toString());
    }
  }

  /** The files under one folder: its subfolders listed as parallel subtasks. */
  private static final class FolderListing extends RecursiveTask<List<Path>> {
    private final HadoopNioFileSystem store;
    private final org.apache.hadoop.fs.Path folder;

    FolderListing(HadoopNioFileSystem store, org.apache.hadoop.fs.Path folder) {
      this.store = store;
      this.folder = folder;
    }

    @Override
    protected List<Path> compute() {
      List<Path> files = new ArrayList<>();
      List<FolderListing> subfolders = new ArrayList<>();
      try {
        RemoteIterator<FileStatus> it = store.hadoop().listStatusIterator(folder);
        while (it.hasNext()) {
          FileStatus s = it.next();
          if (s.isDirectory()) {
            subfolders.add(new FolderListing(store, s.getPath()));
          } else {
            files.add(store.getPath(s.getPath().toUri().getPath()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (FolderListing sub : invokeAll(subfolders)) {
        files.addAll(sub.join());
      }
      return files;
    }
  }
}

package dev.segspark.udfs.io.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;

/**
 * One Hadoop {@code FileSystem} (a scheme and authority, such as {@code hdfs://nn:8020}) as a
 * {@link java.nio.file.FileSystem}, so that code written against {@code java.nio.file.Files} reads,
 * lists and writes there unchanged. Whether a rename is atomic is the store's: it is for HDFS and
 * local files, not for object stores ({@link FsPaths#atomicRename}).
 */
final class HadoopNioFileSystem extends FileSystem {
  private final URI uri;
  private volatile Store store;

  /** The Hadoop side, opened at first use: by then Spark's Hadoop configuration is there. */
  private record Store(
      org.apache.hadoop.fs.FileSystem hadoop, FileContext context, boolean atomic) {}

  HadoopNioFileSystem(URI uri) {
    this.uri = uri;
  }

  private Store store() {
    Store s = store;
    if (s == null) {
      synchronized (this) {
        if (store == null) {
          store = open();
        }
        s = store;
      }
    }
    return s;
  }

  private Store open() {
    Configuration conf = FsPaths.configuration();
    boolean atomic = FsPaths.atomicSchemes(conf).contains(uri.getScheme());
    try {
      return new Store(
          org.apache.hadoop.fs.FileSystem.get(uri, conf),
          atomic ? FileContext.getFileContext(uri, conf) : null,
          atomic);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot open "
              + uri
              + ": "
              + e.getMessage()
              + " (is the store's Hadoop client on the classpath, e.g. hadoop-aws for s3a://?)",
          e);
    }
  }

  /** {@code scheme://authority} of this store. */
  URI uri() {
    return uri;
  }

  org.apache.hadoop.fs.FileSystem hadoop() {
    return store().hadoop();
  }

  /** Hadoop's rename with overwrite, atomic on the stores that have {@link #atomicRename}. */
  FileContext context() {
    return store().context();
  }

  boolean atomicRename() {
    return store().atomic();
  }

  Path workingDirectory() {
    return new HadoopPath(this, hadoop().getWorkingDirectory().toUri().getPath());
  }

  @Override
  public FileSystemProvider provider() {
    return HadoopFileSystemProvider.INSTANCE;
  }

  @Override
  public void close() {
    // Hadoop's FileSystem instances are cached and shared: closing one here would close it for
    // every other user in the JVM
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(new HadoopPath(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder b = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        b.append('/').append(m);
      }
    }
    return new HadoopPath(this, b.toString());
  }

  /** {@code glob:} and {@code regex:} matchers over the path's string form without the store. */
  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    int colon = syntaxAndPattern.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("Cannot match: no syntax in " + syntaxAndPattern);
    }
    String syntax = syntaxAndPattern.substring(0, colon).toLowerCase(Locale.ROOT);
    String pattern = syntaxAndPattern.substring(colon + 1);
    Pattern regex =
        switch (syntax) {
          case "glob" -> Pattern.compile(Globs.toRegex(pattern));
          case "regex" -> Pattern.compile(pattern);
          default ->
              throw new UnsupportedOperationException("Cannot match: unknown syntax " + syntax);
        };
    return p -> regex.matcher(((HadoopPath) p).pathString()).matches();
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("No user principals on " + uri);
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("Cannot watch " + uri);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HadoopNioFileSystem f && f.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}

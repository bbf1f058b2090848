package dev.segspark.jobs;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code norename:}, with rename refused, as on an object store
 * (S3, GCS): a writer that renames fails here, one that writes each object once succeeds.
 */
public final class NoRenameFileSystem extends RawLocalFileSystem {
  /** Renames attempted (all refused). */
  static final java.util.concurrent.atomic.AtomicInteger RENAMES =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public String getScheme() {
    return "norename";
  }

  @Override
  public URI getUri() {
    return URI.create("norename:///");
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    RENAMES.incrementAndGet();
    throw new IOException("Cannot rename " + src + ": this store has no rename");
  }
}

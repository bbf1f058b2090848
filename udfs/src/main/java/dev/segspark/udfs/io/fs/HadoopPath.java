package dev.segspark.udfs.io.fs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path on a Hadoop {@code FileSystem} ({@code hdfs://}, {@code s3a://}, ...), as a {@link
 * java.nio.file.Path}: names separated by {@code /}, absolute when it starts with one. An absolute
 * path's {@link #toString} is its full URI ({@code hdfs://host:port/a/b}), so messages name the
 * store and Spark's readers and writers take it as is; a relative path prints its names.
 */
final class HadoopPath implements Path {
  private final HadoopNioFileSystem fs;
  private final boolean absolute;
  private final String[] names;

  HadoopPath(HadoopNioFileSystem fs, String path) {
    this(fs, path.startsWith("/"), split(path));
  }

  private HadoopPath(HadoopNioFileSystem fs, boolean absolute, String[] names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = names;
  }

  private static String[] split(String path) {
    return Arrays.stream(path.split("/+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }

  /** The path part of the URI: {@code /a/b} (absolute) or {@code a/b}. */
  String pathString() {
    return (absolute ? "/" : "") + String.join("/", names);
  }

  /** The Hadoop path of this (absolute) path. */
  org.apache.hadoop.fs.Path hadoop() {
    return new org.apache.hadoop.fs.Path(toAbsolutePath().toUri());
  }

  @Override
  public FileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new HadoopPath(fs, true, new String[0]) : null;
  }

  @Override
  public Path getFileName() {
    return names.length == 0
        ? null
        : new HadoopPath(fs, false, new String[] {names[names.length - 1]});
  }

  @Override
  public Path getParent() {
    if (names.length == 0 || (names.length == 1 && !absolute)) {
      return null;
    }
    return new HadoopPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
  }

  @Override
  public int getNameCount() {
    return names.length;
  }

  @Override
  public Path getName(int index) {
    if (index < 0 || index >= names.length) {
      throw new IllegalArgumentException("No name " + index + " in " + this);
    }
    return new HadoopPath(fs, false, new String[] {names[index]});
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.length || beginIndex >= endIndex) {
      throw new IllegalArgumentException(
          "No names " + beginIndex + ".." + endIndex + " in " + this);
    }
    return new HadoopPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    HadoopPath o = cast(other, false);
    if (o == null || o.absolute != absolute || o.names.length > names.length) {
      return false;
    }
    for (int i = 0; i < o.names.length; i++) {
      if (!names[i].equals(o.names[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean endsWith(Path other) {
    HadoopPath o = cast(other, false);
    if (o == null || (o.absolute && !equals(o)) || o.names.length > names.length) {
      return false;
    }
    for (int i = 1; i <= o.names.length; i++) {
      if (!names[names.length - i].equals(o.names[o.names.length - i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals(".")) {
        continue;
      }
      if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
        out.remove(out.size() - 1);
      } else if (!(n.equals("..") && absolute)) {
        out.add(n);
      }
    }
    return new HadoopPath(fs, absolute, out.toArray(String[]::new));
  }

  @Override
  public Path resolve(Path other) {
    HadoopPath o = cast(other, true);
    if (o.absolute) {
      return o;
    }
    String[] joined = Arrays.copyOf(names, names.length + o.names.length);
    System.arraycopy(o.names, 0, joined, names.length, o.names.length);
    return new HadoopPath(fs, absolute, joined);
  }

  @Override
  public Path resolve(String other) {
    return resolve(new HadoopPath(fs, other));
  }

  @Override
  public Path relativize(Path other) {
    HadoopPath o = cast(other, true);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("Cannot relativize " + other + " against " + this);
    }
    int common = 0;
    while (common < names.length
        && common < o.names.length
        && names[common].equals(o.names[common])) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.length; i++) {
      out.add("..");
    }
    out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
    return new HadoopPath(fs, false, out.toArray(String[]::new));
  }

  @Override
  public URI toUri() {
    URI base = fs.uri();
    try {
      return new URI(
          base.getScheme(),
          base.getAuthority(),
          ((HadoopPath) toAbsolutePath()).pathString(),
          null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot make a URI of " + pathString(), e);
    }
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : fs.workingDirectory().resolve(this);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws java.io.IOException {
    Path real = toAbsolutePath().normalize();
    real.getFileSystem().provider().checkAccess(real);
    return real;
  }

  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("Cannot watch " + this + ": not supported");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HadoopPath p
        && p.fs.equals(fs)
        && p.absolute == absolute
        && Arrays.equals(p.names, names);
  }

  @Override
  public int hashCode() {
    return fs.hashCode() * 31 + Arrays.hashCode(names) + (absolute ? 1 : 0);
  }

  @Override
  public String toString() {
    return absolute ? toUri().toString() : pathString();
  }

  private HadoopPath cast(Path other, boolean strict) {
    if (other instanceof HadoopPath p && p.fs.equals(fs)) {
      return p;
    }
    if (strict) {
      throw new ProviderMismatchException(
          "Cannot mix " + other + " with a path of " + fs.uri() + " (" + this + ")");
    }
    return null;
  }
}

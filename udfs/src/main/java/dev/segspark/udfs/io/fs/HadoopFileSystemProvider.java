package dev.segspark.udfs.io.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;

/**
 * {@code java.nio.file} over Hadoop {@code FileSystem}s: reads, writes, listings, folders, deletes
 * and renames of {@link HadoopPath}s become Hadoop calls. Not installed as a JDK provider (user
 * jars load after the JDK looks for providers); {@link FsPaths#of} hands out its paths.
 *
 * <p>Moves: on stores with atomic rename (HDFS, local) a move is Hadoop's rename, with overwrite
 * through {@code FileContext} when asked; on the others (object stores) an atomic move throws
 * {@link AtomicMoveNotSupportedException}, which tells the writer to write in place instead.
 */
final class HadoopFileSystemProvider extends FileSystemProvider {
  static final HadoopFileSystemProvider INSTANCE = new HadoopFileSystemProvider();

  private HadoopFileSystemProvider() {}

  @Override
  public String getScheme() {
    return "segspark-hadoop";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    return FsPaths.fileSystem(uri);
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    return FsPaths.fileSystem(uri);
  }

  @Override
  public Path getPath(URI uri) {
    return FsPaths.fileSystem(uri).getPath(uri.getPath());
  }

  private static HadoopPath cast(Path p) {
    if (p instanceof HadoopPath h) {
      return h;
    }
    throw new ProviderMismatchException("Not a Hadoop file system path: " + p);
  }

  private static org.apache.hadoop.fs.FileSystem fs(HadoopPath p) {
    return ((HadoopNioFileSystem) p.getFileSystem()).hadoop();
  }

  private static FileStatus status(HadoopPath p) throws IOException {
    try {
      return fs(p).getFileStatus(p.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    HadoopPath p = cast(path);
    try {
      return fs(p).open(p.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    HadoopPath p = cast(path);
    List<OpenOption> opts = Arrays.asList(options);
    if (opts.contains(StandardOpenOption.APPEND)) {
      throw new UnsupportedOperationException("Cannot append to " + p + ": not supported");
    }
    boolean createNew = opts.contains(StandardOpenOption.CREATE_NEW);
    if (!createNew
        && !opts.isEmpty()
        && !opts.contains(StandardOpenOption.CREATE)
        && !fs(p).exists(p.hadoop())) {
      throw new NoSuchFileException(p.toString());
    }
    try {
      return fs(p).create(p.hadoop(), !createNew);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(p.toString());
    }
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    HadoopPath p = cast(path);
    if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
      return new WriteChannel(newOutputStream(p, options.toArray(OpenOption[]::new)));
    }
    long size = status(p).getLen();
    return new ReadChannel((FSDataInputStream) newInputStream(p), size);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    HadoopPath d = cast(dir);
    FileStatus[] entries;
    try {
      entries = fs(d).listStatus(d.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(d.toString());
    }
    if (entries.length == 1 && !status(d).isDirectory()) {
      throw new java.nio.file.NotDirectoryException(d.toString());
    }
    List<Path> out = new ArrayList<>();
    for (FileStatus s : entries) {
      Path child = d.resolve(s.getPath().getName());
      if (filter == null || filter.accept(child)) {
        out.add(child);
      }
    }
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return out.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    HadoopPath d = cast(dir);
    if (fs(d).exists(d.hadoop())) {
      throw new FileAlreadyExistsException(d.toString());
    }
    Path parent = d.toAbsolutePath().getParent();
    if (parent != null && parent.getNameCount() > 0 && !fs(d).exists(cast(parent).hadoop())) {
      throw new NoSuchFileException(parent.toString());
    }
    if (!fs(d).mkdirs(d.hadoop())) {
      throw new IOException("Cannot create folder " + d);
    }
  }

  @Override
  public void delete(Path path) throws IOException {
    HadoopPath p = cast(path);
    FileStatus s = status(p);
    if (s.isDirectory() && fs(p).listStatus(p.hadoop()).length > 0) {
      throw new DirectoryNotEmptyException(p.toString());
    }
    if (!fs(p).delete(p.hadoop(), false)) {
      throw new IOException("Cannot delete " + p);
    }
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    HadoopPath s = cast(source);
    HadoopPath t = cast(target);
    boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
    if (!replace && fs(t).exists(t.hadoop())) {
      throw new FileAlreadyExistsException(t.toString());
    }
    try (InputStream in = newInputStream(s);
        OutputStream out = fs(t).create(t.hadoop(), true)) {
      in.transferTo(out);
    }
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    HadoopPath s = cast(source);
    HadoopPath t = cast(target);
    HadoopNioFileSystem store = (HadoopNioFileSystem) s.getFileSystem();
    List<CopyOption> opts = Arrays.asList(options);
    if (!store.atomicRename()) {
      if (opts.contains(StandardCopyOption.ATOMIC_MOVE)) {
        throw new AtomicMoveNotSupportedException(
            s.toString(), t.toString(), "the store has no atomic rename");
      }
      copy(s, t, options);
      fs(s).delete(s.hadoop(), true);
      return;
    }
    status(s);
    boolean replace = opts.contains(StandardCopyOption.REPLACE_EXISTING);
    try {
      store
          .context()
          .rename(
              s.hadoop(),
              t.hadoop(),
              replace ? new Options.Rename[] {Options.Rename.OVERWRITE} : new Options.Rename[0]);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(t.toString());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(s.toString(), t.toString(), e.getMessage());
    }
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
  }

  @Override
  public boolean isHidden(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("No file store for " + path);
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    status(cast(path));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    if (type != BasicFileAttributeView.class) {
      return null;
    }
    HadoopPath p = cast(path);
    return (V)
        new BasicFileAttributeView() {
          @Override
          public String name() {
            return "basic";
          }

          @Override
          public BasicFileAttributes readAttributes() throws IOException {
            return new Attributes(status(p));
          }

          @Override
          public void setTimes(FileTime modified, FileTime access, FileTime create)
              throws IOException {
            fs(p)
                .setTimes(
                    p.hadoop(),
                    modified == null ? -1 : modified.toMillis(),
                    access == null ? -1 : access.toMillis());
          }
        };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (!type.isAssignableFrom(Attributes.class)) {
      throw new UnsupportedOperationException("No " + type.getSimpleName() + " for " + path);
    }
    return (A) new Attributes(status(cast(path)));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    Attributes a = new Attributes(status(cast(path)));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("size", a.size());
    all.put("lastModifiedTime", a.lastModifiedTime());
    all.put("lastAccessTime", a.lastAccessTime());
    all.put("creationTime", a.creationTime());
    all.put("isRegularFile", a.isRegularFile());
    all.put("isDirectory", a.isDirectory());
    all.put("isSymbolicLink", a.isSymbolicLink());
    all.put("isOther", a.isOther());
    all.put("fileKey", a.fileKey());
    String names = attributes.startsWith("basic:") ? attributes.substring(6) : attributes;
    if (names.equals("*")) {
      return all;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names.split(",")) {
      if (!all.containsKey(n)) {
        throw new IllegalArgumentException("Unknown attribute " + n);
      }
      out.put(n, all.get(n));
    }
    return out;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw new UnsupportedOperationException("Cannot set " + attribute + " on " + path);
  }

  /** A Hadoop file status as basic attributes. */
  private record Attributes(FileStatus status) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(status.getModificationTime());
    }

    @Override
    public FileTime lastAccessTime() {
      return FileTime.fromMillis(status.getAccessTime());
    }

    @Override
    public FileTime creationTime() {
      return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
      return status.isFile();
    }

    @Override
    public boolean isDirectory() {
      return status.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
      return status.isSymlink();
    }

    @Override
    public boolean isOther() {
      return false;
    }

    @Override
    public long size() {
      return status.getLen();
    }

    @Override
    public Object fileKey() {
      return null;
    }
  }

  /** A read-only channel over a Hadoop input stream (seekable). */
  private static final class ReadChannel implements SeekableByteChannel {
    private final FSDataInputStream in;
    private final long size;
    private boolean open = true;

    ReadChannel(FSDataInputStream in, long size) {
      this.in = in;
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!dst.hasRemaining()) {
        return 0;
      }
      byte[] b = new byte[Math.min(dst.remaining(), 1 << 16)];
      int n = in.read(b, 0, b.length);
      if (n > 0) {
        dst.put(b, 0, n);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      return in.getPos();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      in.seek(newPosition);
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      in.close();
    }
  }

  /** A write-only, sequential channel over a Hadoop output stream. */
  private static final class WriteChannel implements SeekableByteChannel {
    private final OutputStream out;
    private long written;
    private boolean open = true;

    WriteChannel(OutputStream out) {
      this.out = out;
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new java.nio.channels.NonReadableChannelException();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      out.write(b);
      written += n;
      return n;
    }

    @Override
    public long position() {
      return written;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      if (newPosition != written) {
        throw new UnsupportedOperationException("Cannot seek while writing a Hadoop file");
      }
      return this;
    }

    @Override
    public long size() {
      return written;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
      throw new UnsupportedOperationException("Cannot truncate while writing a Hadoop file");
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      out.close();
    }
  }
}

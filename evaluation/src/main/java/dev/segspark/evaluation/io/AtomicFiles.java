package dev.segspark.evaluation.io;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic, idempotent file writes, the one way every job writes a file: the bytes go to a hidden
 * temp file in the target's folder ({@code .<name>.<random>.tmp}), then one rename puts them in
 * place. A reader sees the old file or the whole new one, never a part; a retried or speculative
 * task writing the same bytes leaves the same file; a task killed mid-write leaves at most a hidden
 * {@code .tmp} file that is never mistaken for an output.
 *
 * <p>Stores without an atomic rename (object stores such as S3, where an object appears whole when
 * its upload completes) get one direct write per object instead: the first refused atomic move
 * marks the store, later writes there go straight to the target.
 *
 * <p>Files get the mode a plain {@code Files.write} gets under the process umask (0644 under umask
 * 022): the temp file is created with {@code CREATE_NEW} like any new file, not with {@code
 * Files.createTempFile}, whose 0600 would survive the rename.
 */
public final class AtomicFiles {
  /** Suffix of in-flight temp files. */
  public static final String TMP_SUFFIX = ".tmp";

  /** Longest part of the target's name kept in a temp file's name (file names end at 255). */
  private static final int NAME_KEPT = 128;

  /** File systems that refused an atomic move: written in place. */
  private static final Set<FileSystem> DIRECT = ConcurrentHashMap.newKeySet();

  private AtomicFiles() {}

  /** Writes UTF-8 {@code text} to {@code target}, creating parent folders. */
  public static void write(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code data} to {@code target}, creating parent folders.
   *
   * @throws InvalidInputException naming the target when it cannot be written
   */
  public static void write(Path target, byte[] data) {
    if (DIRECT.contains(target.getFileSystem())) {
      writeDirect(target, data);
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = tempSibling(target);
      try (OutputStream out =
          Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(data);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        DIRECT.add(target.getFileSystem());
        deleteQuietly(tmp);
        writeDirect(target, data);
      }
      tmp = null;
    } catch (IOException e) {
      throw new InvalidInputException(
          target.toString(), "Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /** One write in place, for stores where that is atomic per object and a rename is not. */
  private static void writeDirect(Path target, byte[] data) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        out.write(data);
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          target.toString(), "Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code fileName} is the name of an in-flight temp file. */
  public static boolean isTemp(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TMP_SUFFIX);
  }

  /** A fresh hidden temp path beside {@code target}; random, so concurrent writers never share. */
  private static Path tempSibling(Path target) {
    String name = target.getFileName().toString();
    if (name.length() > NAME_KEPT) {
      name = name.substring(0, NAME_KEPT);
    }
    String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return target.toAbsolutePath().resolveSibling("." + name + "." + random + TMP_SUFFIX);
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // best effort: a leftover hidden .tmp file is never read as an output
    }
  }
}

package dev.segspark.udfs.io;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads sample files on executors. */
public final class SampleFiles {
  private SampleFiles() {}

  /** The bytes of a file, or an {@link InvalidInputException} naming it. */
  public static byte[] read(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path, "Cannot read " + path + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(path, "Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Reads and decodes a label-map PNG. */
  public static LabelMap labelMap(String path) {
    return Png.decodeLabelMap(read(path), path);
  }
}

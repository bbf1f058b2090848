package dev.segspark.udfs.io;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.IoErrors;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.evaluation.image.Png;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads sample files on executors. */
public final class SampleFiles {
  private SampleFiles() {}

  /**
   * The bytes of a file (a plain path or a URI on any Hadoop file system, see {@link FsPaths#of}),
   * or an {@link InvalidInputException} naming it and the reason.
   */
  public static byte[] read(String path) {
    try {
      Path file = FsPaths.of(path);
      long size = Files.size(file);
      if (size > PixelLimits.MAX_ARRAY) {
        throw new InvalidInputException(
            path,
            "Cannot read "
                + path
                + ": "
                + size
                + " bytes, more than one Java array holds ("
                + PixelLimits.MAX_ARRAY
                + ")");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw IoErrors.unreadable(path, e);
    } catch (IllegalArgumentException e) { // a malformed URI or a store no client serves
      throw new InvalidInputException(path, e.getMessage(), e);
    }
  }

  /**
   * Reads a PNG and checks its size from the header, before any pixel is decoded: images with more
   * than {@code maxPixels} pixels are rejected.
   */
  public static byte[] readPng(String path, long maxPixels) {
    byte[] bytes = read(path);
    checkPng(bytes, path, maxPixels);
    return bytes;
  }

  /** Checks a PNG's size from its header: more than {@code maxPixels} pixels is an error. */
  private static void checkPng(byte[] bytes, String source, long maxPixels) {
    int[] header = Png.header(bytes, source);
    if ((long) header[0] * header[1] > maxPixels) {
      throw new InvalidInputException(
          source,
          "Cannot evaluate "
              + source
              + ": "
              + header[0]
              + "x"
              + header[1]
              + " exceeds --max-pixels ("
              + maxPixels
              + ")");
    }
  }

  /** Decodes a label-map PNG held in memory, of at most {@code maxPixels} pixels. */
  public static LabelMap labelMap(byte[] png, String source, long maxPixels) {
    checkPng(png, source, maxPixels);
    return Png.decodeLabelMap(png, source);
  }

  /** Reads and decodes a label-map PNG of at most {@code maxPixels} pixels. */
  public static LabelMap labelMap(String path, long maxPixels) {
    return labelMap(path, maxPixels, null);
  }

  /**
   * As {@link #labelMap(String, long)}, into the array of {@code spare} when its size fits (see
   * {@link Png#decodeLabelMap(byte[], String, LabelMap)}).
   */
  public static LabelMap labelMap(String path, long maxPixels, LabelMap spare) {
    return Png.decodeLabelMap(readPng(path, maxPixels), path, spare);
  }
}

package dev.segspark.evaluation.panoptic;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One panoptic segmentation (ground truth or prediction) of one image: a segment-id map and the
 * segments it contains.
 *
 * <p>{@code ids} is row-major, {@code width * height} long, one segment id per pixel as the COCO
 * panoptic PNG encodes it: {@code id = R + 256*G + 256^2*B} (see {@link #idFromRgb(int)}). Id 0 is
 * VOID unless {@code segments} lists a segment with id 0 (DETR's post-processing numbers its
 * segments from 0; panopticapi then treats id 0 as that segment). The array is not copied: callers
 * must not modify it afterwards.
 *
 * @param name image name used in error messages and per-image tables (e.g. the PNG file name)
 * @param width width in pixels, {@code > 0}
 * @param height height in pixels, {@code > 0}
 * @param ids segment id per pixel, row-major
 * @param segments segments info; ids must be unique
 */
public record PanopticImage(String name, int width, int height, int[] ids, List<Segment> segments)
    implements Serializable {

  /** Segment id of unlabelled pixels. */
  public static final int VOID = 0;

  /** Validates the size, the id map length and the uniqueness of segment ids. */
  public PanopticImage {
    if (name == null || ids == null || segments == null) {
      throw new IllegalArgumentException(
          "Cannot create panoptic image: name, ids and segments are required (" + name + ")");
    }
    if (width <= 0 || height <= 0 || (long) width * height != ids.length) {
      throw new IllegalArgumentException(
          "Cannot create panoptic image "
              + name
              + ": ids length must equal width*height ("
              + width
              + "x"
              + height
              + " vs "
              + ids.length
              + ")");
    }
    segments = List.copyOf(segments);
    requireUniqueIds(name, segments);
  }

  /**
   * Converts a packed {@code 0xRRGGBB} colour (as from {@code BufferedImage.getRGB}; the alpha byte
   * is ignored) to a segment id {@code R + 256*G + 256^2*B}.
   *
   * @param rgb packed colour
   * @return the segment id
   */
  public static int idFromRgb(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return r + 256 * g + 65536 * b;
  }

  private static void requireUniqueIds(String name, List<Segment> segments) {
    Set<Integer> seen = new HashSet<>();
    for (Segment segment : segments) {
      if (!seen.add(segment.id())) {
        throw new IllegalArgumentException(
            "Cannot create panoptic image "
                + name
                + ": segment id listed twice in segments info ("
                + segment.id()
                + ")");
      }
    }
  }
}

package dev.segspark.jobs.synth;

import java.io.Serializable;
import java.util.List;

/**
 * One synthetic frame's Cityscapes-panoptic ground truth, as {@code
 * cityscapes_panoptic_<split>.json} lists it: what a synth task returns to the driver, which writes
 * the JSON once every PNG exists.
 *
 * @param imageId Cityscapes image id {@code <city>_<seq>_<frame>}
 * @param width frame width
 * @param height frame height
 * @param segments the segments of the frame's panoptic PNG, by increasing id
 */
public record PanopticFrame(String imageId, int width, int height, List<Segment> segments)
    implements Serializable {

  public PanopticFrame {
    segments = List.copyOf(segments);
  }

  /** The panoptic PNG's name inside {@code cityscapes_panoptic_<split>/}. */
  public String pngName() {
    return imageId + "_gtFine_panoptic.png";
  }

  /**
   * The {@code images[].file_name} cityscapesScripts writes: its instance file's name with {@code
   * _instanceIds.png} replaced, which keeps {@code _gtFine} ({@code <id>_gtFine_leftImg8bit.png}).
   * Kept as it is for files that match theirs byte for byte in meaning; evaluation never reads it.
   */
  public String imageFileName() {
    return imageId + "_gtFine_leftImg8bit.png";
  }

  /**
   * One entry of {@code segments_info}.
   *
   * @param id segment id in the PNG ({@code R + 256 G + 256^2 B}): the label id for stuff, {@code
   *     labelId * 1000 + k} for the k-th instance of a thing class
   * @param categoryId Cityscapes label id
   * @param area pixels
   * @param x bounding box left
   * @param y bounding box top
   * @param w bounding box width
   * @param h bounding box height
   * @param crowd thing-class pixels without an instance number (never drawn by synth, kept for the
   *     rule cityscapesScripts applies)
   */
  public record Segment(
      int id, int categoryId, long area, int x, int y, int w, int h, boolean crowd)
      implements Serializable {}
}

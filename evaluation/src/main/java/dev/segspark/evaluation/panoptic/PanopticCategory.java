package dev.segspark.evaluation.panoptic;

import java.io.Serializable;
import java.util.Optional;

/**
 * One category of a COCO panoptic {@code categories} list.
 *
 * @param id category id as used in {@code segments_info.category_id}
 * @param name category name
 * @param isThing {@code isthing == 1}: countable objects (Things) versus amorphous regions (Stuff)
 * @param color display colour, or {@code null} when the JSON has none (nullable rather than {@code
 *     Optional} so that the table stays serializable for Spark)
 */
public record PanopticCategory(int id, String name, boolean isThing, Color color)
    implements Serializable {

  /** Validates the name. */
  public PanopticCategory {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot create panoptic category: name is required (" + id + ")");
    }
  }

  /**
   * A category without colour.
   *
   * @param id category id
   * @param name category name
   * @param isThing whether it is a thing category
   */
  public PanopticCategory(int id, String name, boolean isThing) {
    this(id, name, isThing, null);
  }

  /**
   * Returns the display colour if the JSON has one.
   *
   * @return the colour, or empty
   */
  public Optional<Color> optionalColor() {
    return Optional.ofNullable(color);
  }

  /**
   * An sRGB colour.
   *
   * @param r red, {@code [0, 255]}
   * @param g green, {@code [0, 255]}
   * @param b blue, {@code [0, 255]}
   */
  public record Color(int r, int g, int b) implements Serializable {

    /** Validates the channel range. */
    public Color {
      if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
        throw new IllegalArgumentException(
            "Cannot create colour: channels must be in [0, 255] (" + r + "," + g + "," + b + ")");
      }
    }
  }
}

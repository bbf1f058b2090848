package dev.segspark.jobs.data;

import java.util.Locale;

/** How ground truth is laid out under a data root. */
public enum Layout {
  /** {@code gtFine/<split>/<city>/<city>_<seq>_<frame>_gtFine_labelIds.png} (+ instanceIds). */
  CITYSCAPES("val"),
  /** {@code annotations/<split>/<name>.png} (ADEChallengeData2016). */
  ADE20K("validation"),
  /**
   * {@code SegmentationClass/<name>.png}, filtered by {@code ImageSets/Segmentation/<split>.txt}.
   */
  VOC("val"),
  /** {@code masks/<name>.png} (optionally {@code masks/<split>/}), classes from a YAML table. */
  GENERIC("");

  private final String defaultSplit;

  Layout(String defaultSplit) {
    this.defaultSplit = defaultSplit;
  }

  /** The split used when none is given. */
  public String defaultSplit() {
    return defaultSplit;
  }

  /** Layout for a dataset name: the built-in names, anything else is generic. */
  public static Layout forDataset(String dataset) {
    return switch (dataset.toLowerCase(Locale.ROOT)) {
      case "cityscapes" -> CITYSCAPES;
      case "ade20k" -> ADE20K;
      case "voc" -> VOC;
      default -> GENERIC;
    };
  }
}

package dev.segspark.jobs.data;

import java.nio.file.Path;
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

  /**
   * The Cityscapes-panoptic ground-truth PNG folder of a split, as cityscapesScripts' {@code
   * createPanopticImgs.py} writes it: {@code gtFine/cityscapes_panoptic_<split>/}, flat (no city
   * folders), one {@code <city>_<seq>_<frame>_gtFine_panoptic.png} per frame.
   */
  public static Path panopticDir(Path root, String split) {
    return root.resolve("gtFine").resolve("cityscapes_panoptic_" + split);
  }

  /**
   * The Cityscapes-panoptic ground-truth JSON of a split (COCO panoptic: images, annotations,
   * categories): {@code gtFine/cityscapes_panoptic_<split>.json}, next to {@link #panopticDir}.
   */
  public static Path panopticJson(Path root, String split) {
    return root.resolve("gtFine").resolve("cityscapes_panoptic_" + split + ".json");
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

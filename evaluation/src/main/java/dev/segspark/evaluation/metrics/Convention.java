package dev.segspark.evaluation.metrics;

import java.util.Arrays;
import java.util.Locale;

/** Which reference tool's metric definitions a report reproduces. */
public enum Convention {
  /**
   * cityscapesScripts {@code evalPixelLevelSemanticLabeling}: a matrix over annotation ids; a
   * class's false negatives include pixels predicted as ignored ids, its false positives count only
   * ground-truth rows that are evaluated; iIoU weights instances by published average sizes;
   * category scores; averages over defined (non-NaN) scores.
   */
  CITYSCAPES,
  /**
   * mmsegmentation {@code IoUMetric}: pixels whose ground truth is the ignore index are dropped,
   * predicted values outside {@code [0, K)} are dropped from the prediction histogram only; a class
   * predicted but absent from the ground truth has IoU 0; means skip undefined (0/0) scores.
   */
  MMSEG,
  /**
   * detectron2 {@code SemSegEvaluator}: classes absent from the ground truth are excluded (null);
   * mIoU, fwIoU, mACC and pACC over the K×K block.
   */
  DETECTRON2,
  /**
   * torchmetrics {@code MulticlassJaccardIndex}: macro averages over classes present in ground
   * truth or prediction (a class only predicted scores 0); micro = ΣTP / Σunion.
   */
  TORCHMETRICS;

  /** The lower-case name used on the command line and in reports. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a command-line name. */
  public static Convention parse(String name) {
    for (Convention c : values()) {
      if (c.id().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "Cannot use convention: unknown name ("
            + name
            + "); expected one of "
            + Arrays.stream(values()).map(Convention::id).toList());
  }

  /** Whether this convention evaluates in annotation-id space rather than trainId space. */
  public boolean usesAnnotationIds() {
    return this == CITYSCAPES;
  }
}

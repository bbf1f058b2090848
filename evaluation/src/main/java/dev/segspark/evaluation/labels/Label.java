package dev.segspark.evaluation.labels;

import java.io.Serializable;

/**
 * One row of a dataset label table (the Cityscapes {@code labels.py} model).
 *
 * @param name human-readable class name, unique within the table
 * @param id the value stored in ground-truth annotation files ({@code -1} = never annotated)
 * @param trainId the contiguous training/prediction index, or the table's ignore index
 * @param category coarse category name (Cityscapes "flat", "vehicle", ...); {@code ""} if none
 * @param categoryId numeric category id ({@code 0} if none)
 * @param hasInstances whether instance annotations exist (used for iIoU)
 * @param ignoreInEval whether the label is left out of evaluation
 * @param rgb display colour as {@code 0xRRGGBB}
 */
public record Label(
    String name,
    int id,
    int trainId,
    String category,
    int categoryId,
    boolean hasInstances,
    boolean ignoreInEval,
    int rgb)
    implements Serializable {

  public Label {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Cannot create label: name is empty (id " + id + ")");
    }
    if (id < -1 || id > 65535) {
      throw new IllegalArgumentException(
          "Cannot create label '" + name + "': id must be in [-1, 65535] (" + id + ")");
    }
    if (trainId < -1 || trainId > 65535) {
      throw new IllegalArgumentException(
          "Cannot create label '" + name + "': trainId must be in [-1, 65535] (" + trainId + ")");
    }
    category = category == null ? "" : category;
    if (rgb < 0 || rgb > 0xFFFFFF) {
      throw new IllegalArgumentException(
          "Cannot create label '" + name + "': colour out of range (" + rgb + ")");
    }
  }
}

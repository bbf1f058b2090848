package dev.segspark.evaluation.metrics;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The index space a confusion matrix is counted in, and the lookups from raw file values into it.
 *
 * <p>Rows are ground-truth classes {@code 0..size-1}; columns are predicted classes plus one extra
 * column {@code size} for predictions outside the class range (counted as wrong: they stay in their
 * ground-truth class's area, as in mmseg). Each lookup covers all 65536 16-bit values: a
 * ground-truth value maps to a row, to {@link #IGNORE} (pixel dropped) or {@link #UNKNOWN} (an
 * error); a predicted value maps to a column, to the out-of-range column, to {@link #UNKNOWN}, or
 * (detectron2 only) to {@link #IGNORE}: {@code SemSegEvaluator} files a prediction equal to the
 * class count in its ignore row, so that pixel leaves every count.
 */
public final class EvalSpace implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Lookup result: drop the pixel. */
  public static final int IGNORE = -1;

  /** Lookup result: the value is not in the label table. */
  public static final int UNKNOWN = -2;

  private final Convention convention;
  private final PredictionIds predictionIds;
  private final LabelTable table;
  private final int[] indexIds;
  // 3 × 256 KiB of lookups: rebuilt where used rather than shipped with every task
  private transient volatile Lookups lookups;

  /**
   * The 65536-entry tables; {@code swappedPred} reads predicted values as the other {@link
   * PredictionIds} kind, for {@link PredictionIdCheck}.
   */
  private record Lookups(int[] gt, int[] pred, int[] swappedPred, int[] predToAnnotationId) {}

  private EvalSpace(Convention convention, PredictionIds predictionIds, LabelTable table) {
    this.convention = convention;
    this.predictionIds = predictionIds;
    this.table = table;
    this.indexIds =
        convention.usesAnnotationIds() ? table.annotatedIds() : range(table.numClasses());
  }

  /** The space for a convention, a label table and the kind of prediction values. */
  public static EvalSpace of(Convention convention, LabelTable table, PredictionIds predIds) {
    return new EvalSpace(convention, predIds, table);
  }

  private Lookups lookups() {
    Lookups l = lookups;
    if (l == null) {
      int[] gt = convention.usesAnnotationIds() ? annotationGt() : trainGt();
      l =
          new Lookups(
              gt,
              predLookup(gt, predictionIds),
              predLookup(gt, predictionIds.other()),
              predictionToAnnotationIds(table, predictionIds));
      lookups = l;
    }
    return l;
  }

  private int[] annotationGt() {
    int[] gt = filled(UNKNOWN);
    for (int i = 0; i < indexIds.length; i++) {
      gt[indexIds[i]] = i;
    }
    return gt;
  }

  private int[] trainGt() {
    int k = table.numClasses();
    int[] idToTrain = table.idToTrainId();
    int[] gt = new int[65536];
    for (int v = 0; v < 65536; v++) {
      int t = idToTrain[v];
      gt[v] = t < 0 ? UNKNOWN : t < k ? t : IGNORE;
    }
    if (table.byId(table.ignoreIndex()) == null && table.ignoreIndex() < 65536) {
      gt[table.ignoreIndex()] = IGNORE;
    }
    return gt;
  }

  /** Predicted value → column, for predictions of kind {@code ids}. */
  private int[] predLookup(int[] gt, PredictionIds ids) {
    if (convention.usesAnnotationIds()) {
      if (ids == PredictionIds.LABEL_IDS) {
        return gt.clone();
      }
      int[] pred = filled(UNKNOWN);
      Label[] byTrainId = trainIdLabels(table);
      for (int v = 0; v < 65536; v++) {
        Label label = byTrainId[v];
        if (label != null && label.id() >= 0) {
          pred[v] = gt[label.id()];
        }
      }
      return pred;
    }
    int k = table.numClasses();
    int[] idToTrain = table.idToTrainId();
    int[] pred = new int[65536];
    for (int v = 0; v < 65536; v++) {
      if (ids == PredictionIds.TRAIN_IDS) {
        pred[v] = v < k ? v : v == k && convention == Convention.DETECTRON2 ? IGNORE : k;
      } else {
        int t = idToTrain[v];
        pred[v] = t < 0 ? UNKNOWN : t < k ? t : k;
      }
    }
    return pred;
  }

  private static int[] range(int n) {
    int[] ids = new int[n];
    Arrays.setAll(ids, i -> i);
    return ids;
  }

  /**
   * trainId → label for every 16-bit value, the way cityscapesScripts converts: the table's label
   * for that train id, else the first label in table order that has it (one pass over the labels,
   * not one per value).
   */
  private static Label[] trainIdLabels(LabelTable table) {
    Label[] out = new Label[65536];
    List<Label> labels = table.labels();
    for (int i = labels.size() - 1; i >= 0; i--) { // the first in table order is written last
      int t = labels.get(i).trainId();
      if (t >= 0 && t < out.length) {
        out[t] = labels.get(i);
      }
    }
    for (int t = 0; t < out.length; t++) {
      Label direct = table.byTrainId(t);
      if (direct != null) {
        out[t] = direct;
      }
    }
    return out;
  }

  private static int[] predictionToAnnotationIds(LabelTable table, PredictionIds predIds) {
    int[] lut = filled(-1);
    Label[] byTrainId = predIds == PredictionIds.TRAIN_IDS ? trainIdLabels(table) : null;
    for (int v = 0; v < 65536; v++) {
      Label label = byTrainId != null ? byTrainId[v] : table.byId(v);
      lut[v] = label == null ? -1 : label.id();
    }
    return lut;
  }

  private static int[] filled(int value) {
    int[] a = new int[65536];
    Arrays.fill(a, value);
    return a;
  }

  /** Number of classes (rows); the matrix has {@code size + 1} columns. */
  public int size() {
    return indexIds.length;
  }

  /** Report label per index: annotation ids (cityscapes) or trainIds. */
  public int[] indexIds() {
    return indexIds.clone();
  }

  /**
   * Which rows are scored classes: all of them, except under the cityscapes convention the ids its
   * table marks {@code ignoreInEval} (their pixels are counted, but never scored).
   */
  public boolean[] evaluatedRows() {
    boolean[] evaluated = new boolean[indexIds.length];
    for (int i = 0; i < indexIds.length; i++) {
      evaluated[i] = !convention.usesAnnotationIds() || !table.byId(indexIds[i]).ignoreInEval();
    }
    return evaluated;
  }

  /** The ground-truth lookup (shared, do not modify). */
  int[] gtLookup() {
    return lookups().gt();
  }

  /** The prediction lookup (shared, do not modify). */
  int[] predLookup() {
    return lookups().pred();
  }

  /** The prediction lookup for values of the other {@link PredictionIds} kind (do not modify). */
  int[] swappedPredLookup() {
    return lookups().swappedPred();
  }

  /** Prediction value → annotation id ({@code -1} if none), for instance scores. */
  int[] predToAnnotationId() {
    return lookups().predToAnnotationId();
  }

  public Convention convention() {
    return convention;
  }

  public PredictionIds predictionIds() {
    return predictionIds;
  }

  public LabelTable table() {
    return table;
  }
}

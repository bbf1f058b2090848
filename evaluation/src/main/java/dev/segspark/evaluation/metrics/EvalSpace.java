package dev.segspark.evaluation.metrics;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The index space a confusion matrix is counted in, and the lookups from raw file values into it.
 *
 * <p>Rows are ground-truth classes {@code 0..size-1}; columns are predicted classes plus one extra
 * column {@code size} for predictions outside the class range (kept so mmseg's ground-truth areas
 * are exact). Each lookup covers all 65536 16-bit values: a ground-truth value maps to a row, to
 * {@link #IGNORE} (pixel dropped) or {@link #UNKNOWN} (an error); a predicted value maps to a
 * column, to the out-of-range column, or to {@link #UNKNOWN}.
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
  private final int[] gtLookup;
  private final int[] predLookup;
  private final int[] predToAnnotationId;

  private EvalSpace(
      Convention convention,
      PredictionIds predictionIds,
      LabelTable table,
      int[] indexIds,
      int[] gtLookup,
      int[] predLookup) {
    this.convention = convention;
    this.predictionIds = predictionIds;
    this.table = table;
    this.indexIds = indexIds;
    this.gtLookup = gtLookup;
    this.predLookup = predLookup;
    this.predToAnnotationId = predictionToAnnotationIds(table, predictionIds);
  }

  /** The space for a convention, a label table and the kind of prediction values. */
  public static EvalSpace of(Convention convention, LabelTable table, PredictionIds predIds) {
    return convention.usesAnnotationIds()
        ? annotationSpace(convention, table, predIds)
        : trainSpace(convention, table, predIds);
  }

  private static EvalSpace annotationSpace(Convention c, LabelTable table, PredictionIds predIds) {
    int[] ids = table.annotatedIds();
    int[] gt = filled(UNKNOWN);
    for (int i = 0; i < ids.length; i++) {
      gt[ids[i]] = i;
    }
    int[] pred = gt.clone();
    if (predIds == PredictionIds.TRAIN_IDS) {
      pred = filled(UNKNOWN);
      for (int v = 0; v < 65536; v++) {
        Label label = trainIdLabel(table, v);
        if (label != null && label.id() >= 0) {
          pred[v] = gt[label.id()];
        }
      }
    }
    return new EvalSpace(c, predIds, table, ids, gt, pred);
  }

  private static EvalSpace trainSpace(Convention c, LabelTable table, PredictionIds predIds) {
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
    int[] pred = new int[65536];
    for (int v = 0; v < 65536; v++) {
      if (predIds == PredictionIds.TRAIN_IDS) {
        pred[v] = v < k ? v : k;
      } else {
        int t = idToTrain[v];
        pred[v] = t < 0 ? UNKNOWN : t < k ? t : k;
      }
    }
    int[] ids = new int[k];
    Arrays.setAll(ids, i -> i);
    return new EvalSpace(c, predIds, table, ids, gt, pred);
  }

  /** trainId → label the way cityscapesScripts converts: the first label in table order. */
  private static Label trainIdLabel(LabelTable table, int trainId) {
    Label direct = table.byTrainId(trainId);
    if (direct != null) {
      return direct;
    }
    for (Label label : table.labels()) {
      if (label.trainId() == trainId) {
        return label;
      }
    }
    return null;
  }

  private static int[] predictionToAnnotationIds(LabelTable table, PredictionIds predIds) {
    int[] lut = filled(-1);
    for (int v = 0; v < 65536; v++) {
      Label label = predIds == PredictionIds.TRAIN_IDS ? trainIdLabel(table, v) : table.byId(v);
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

  /** The ground-truth lookup (shared, do not modify). */
  int[] gtLookup() {
    return gtLookup;
  }

  /** The prediction lookup (shared, do not modify). */
  int[] predLookup() {
    return predLookup;
  }

  /** Prediction value → annotation id ({@code -1} if none), for instance scores. */
  int[] predToAnnotationId() {
    return predToAnnotationId;
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

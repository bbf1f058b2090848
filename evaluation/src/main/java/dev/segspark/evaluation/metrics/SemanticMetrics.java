package dev.segspark.evaluation.metrics;

import static dev.segspark.evaluation.metrics.Ratios.fscore;
import static dev.segspark.evaluation.metrics.Ratios.mean;
import static dev.segspark.evaluation.metrics.Ratios.pick;
import static dev.segspark.evaluation.metrics.Ratios.ratio;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives every score of a semantic evaluation from the summed confusion matrix (and instance
 * statistics), under the convention of the matrix's {@link EvalSpace}. See {@link Convention} for
 * each convention's definitions.
 */
public final class SemanticMetrics {
  private SemanticMetrics() {}

  /**
   * Computes all scores.
   *
   * @param space the space the matrix was counted in
   * @param matrix the summed confusion matrix
   * @param instances summed instance statistics, or {@code null} when no instance maps were read
   *     (iIoU is then null)
   */
  public static SemanticScores compute(
      EvalSpace space, ConfusionMatrix matrix, InstanceStats instances) {
    return space.convention().usesAnnotationIds()
        ? cityscapes(space, matrix, instances)
        : trainIdScores(space, matrix);
  }

  /**
   * One image's figures under the space's convention (no instance scores): the class IoUs, their
   * mean and the pixel accuracy that {@link #compute} gives for a matrix of this image alone,
   * computed from the sparse counts without building that matrix or the other scores (this runs
   * once per image; {@code ImageScoresTest} holds it to {@link #compute}'s figures).
   *
   * @param space the space the counts were made in
   * @param counts the image's counts
   */
  public static ImageScores image(EvalSpace space, ImageCounts counts) {
    int k = space.size();
    if (counts.size() != k) {
      throw new IllegalArgumentException(
          "Cannot score image counts of size " + counts.size() + " in a space of size " + k);
    }
    boolean cityscapes = space.convention().usesAnnotationIds();
    boolean[] scored = space.evaluatedRows();
    long[] gt = new long[k];
    long[] tp = new long[k];
    long[] pred = new long[k]; // cityscapes: predictions from scored rows only (its fp rule)
    int[] cells = counts.cells();
    long[] n = counts.counts();
    for (int i = 0; i < cells.length; i++) {
      int row = cells[i] / (k + 1);
      int col = cells[i] % (k + 1);
      gt[row] += n[i];
      if (col == row) {
        tp[row] += n[i];
      }
      if (col < k && (!cityscapes || scored[row])) {
        pred[col] += n[i];
      }
    }
    long evaluated = 0;
    long correct = 0;
    List<Double> iou = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      if (!scored[c]) {
        continue;
      }
      evaluated += gt[c];
      correct += tp[c];
      iou.add(
          cityscapes
              ? cityscapesIoU(tp[c], gt[c], pred[c] - tp[c])
              : trainIdIoU(space.convention(), tp[c], gt[c], pred[c]));
    }
    long pixels = counts.counted() + counts.ignored();
    return new ImageScores(
        evaluated, pixels - evaluated, correct, ratio(correct, evaluated), mean(iou), iou);
  }

  /** A class's IoU under the train-id conventions: null for detectron2's absent classes. */
  private static Double trainIdIoU(Convention convention, long tp, long gt, long pred) {
    return convention == Convention.DETECTRON2 && gt == 0 ? null : ratio(tp, gt + pred - tp);
  }

  /** cityscapesScripts' class IoU: false positives only from evaluated ground-truth rows. */
  private static Double cityscapesIoU(long tp, long gt, long fp) {
    return ratio(tp, gt + fp);
  }

  private static SemanticScores cityscapes(
      EvalSpace space, ConfusionMatrix m, InstanceStats instances) {
    LabelTable table = space.table();
    int[] ids = space.indexIds();
    boolean[] evaluated = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      evaluated[i] = !table.byId(ids[i]).ignoreInEval();
    }
    List<ClassScores> classes = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      if (evaluated[i]) {
        classes.add(cityscapesClass(table, table.byId(ids[i]), i, m, evaluated, instances));
      }
    }
    List<CategoryScores> categories = new ArrayList<>();
    for (String category : table.categories()) {
      categories.add(cityscapesCategory(table, category, ids, m, evaluated, instances));
    }
    Summary summary =
        summary(
            classes,
            mean(pick(classes, ClassScores::iiou)),
            mean(categories.stream().map(CategoryScores::iou).toList()),
            mean(categories.stream().map(CategoryScores::iiou).toList()),
            null);
    return new SemanticScores(space.convention(), summary, classes, categories);
  }

  private static ClassScores cityscapesClass(
      LabelTable table,
      Label label,
      int i,
      ConfusionMatrix m,
      boolean[] evaluated,
      InstanceStats instances) {
    long tp = m.get(i, i);
    long gt = m.rowSum(i);
    long fp = 0;
    for (int r = 0; r < evaluated.length; r++) {
      if (evaluated[r] && r != i) {
        fp += m.get(r, i);
      }
    }
    Double iiou = null;
    Double averageSize =
        instances != null && label.hasInstances() ? table.averageInstanceSize(label.name()) : null;
    if (averageSize != null) {
      double[] w = instances.weighted(label.id(), averageSize, false);
      iiou = ratio(w[0], w[0] + fp + w[1]);
    }
    return scores(label, tp, gt, tp + fp, cityscapesIoU(tp, gt, fp), iiou);
  }

  private static CategoryScores cityscapesCategory(
      LabelTable table,
      String category,
      int[] ids,
      ConfusionMatrix m,
      boolean[] evaluated,
      InstanceStats instances) {
    List<Integer> members = new ArrayList<>();
    List<Integer> instanceMembers = new ArrayList<>();
    boolean allInstances = true;
    for (int i = 0; i < ids.length; i++) {
      Label label = table.byId(ids[i]);
      if (label.category().equals(category)) {
        if (evaluated[i]) {
          members.add(i);
        }
        instanceMembers.add(i);
        allInstances &= label.hasInstances();
      }
    }
    Double iou = null;
    if (!members.isEmpty()) {
      long tp = blockSum(m, members, members);
      long fn = -tp;
      for (int r : members) {
        fn += m.rowSum(r);
      }
      long fp = outsideRows(table, category, ids, m, evaluated, members);
      iou = ratio(tp, tp + fp + fn);
    }
    Double iiou = null;
    if (instances != null && allInstances && !instanceMembers.isEmpty()) {
      iiou = categoryIIoU(table, category, ids, m, evaluated, instanceMembers, instances);
    }
    return new CategoryScores(category, iou, iiou);
  }

  private static Double categoryIIoU(
      LabelTable table,
      String category,
      int[] ids,
      ConfusionMatrix m,
      boolean[] evaluated,
      List<Integer> members,
      InstanceStats instances) {
    double tpWeighted = 0;
    double fnWeighted = 0;
    for (int i : members) {
      Label label = table.byId(ids[i]);
      if (label.ignoreInEval()) {
        continue; // cityscapesScripts skips instances of ignored classes
      }
      Double averageSize = table.averageInstanceSize(label.name());
      if (averageSize == null) {
        return null;
      }
      double[] w = instances.weighted(label.id(), averageSize, true);
      tpWeighted += w[0];
      fnWeighted += w[1];
    }
    long fp = outsideRows(table, category, ids, m, evaluated, members);
    return ratio(tpWeighted, tpWeighted + fp + fnWeighted);
  }

  /** Pixels of evaluated rows outside {@code category} predicted as one of {@code cols}. */
  private static long outsideRows(
      LabelTable table,
      String category,
      int[] ids,
      ConfusionMatrix m,
      boolean[] evaluated,
      List<Integer> cols) {
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < ids.length; r++) {
      if (evaluated[r] && !table.byId(ids[r]).category().equals(category)) {
        rows.add(r);
      }
    }
    return blockSum(m, rows, cols);
  }

  private static long blockSum(ConfusionMatrix m, List<Integer> rows, List<Integer> cols) {
    long sum = 0;
    for (int r : rows) {
      for (int c : cols) {
        sum += m.get(r, c);
      }
    }
    return sum;
  }

  private static SemanticScores trainIdScores(EvalSpace space, ConfusionMatrix m) {
    Convention convention = space.convention();
    int k = m.size();
    long[] pred = new long[k];
    for (int r = 0; r < k; r++) {
      for (int c = 0; c < k; c++) {
        pred[c] += m.get(r, c);
      }
    }
    List<ClassScores> classes = new ArrayList<>();
    long unionSum = 0;
    long tpSum = 0;
    for (int c = 0; c < k; c++) {
      long tp = m.get(c, c);
      // predictions outside [0, K) stay in the ground-truth area, as wrong pixels: mmseg's rule;
      // detectron2 and torchmetrics would stop on them (detectron2's own ignore slot, K, never
      // reaches the matrix: see EvalSpace)
      long gt = m.rowSum(c);
      long union = gt + pred[c] - tp;
      unionSum += union;
      tpSum += tp;
      Label label = space.table().byTrainId(c);
      Double iou = trainIdIoU(convention, tp, gt, pred[c]);
      if (convention == Convention.DETECTRON2 && gt == 0) { // iou is null: so is every score
        classes.add(
            new ClassScores(
                label.name(),
                label.id(),
                c,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                tp,
                gt,
                pred[c]));
      } else {
        classes.add(scores(label, tp, gt, pred[c], iou, null));
      }
    }
    Double micro = convention == Convention.TORCHMETRICS ? ratio(tpSum, unionSum) : null;
    Summary summary = summary(classes, null, null, null, micro);
    return new SemanticScores(convention, summary, classes, List.of());
  }

  /** The class means every convention shares, plus the convention-specific scores. */
  private static Summary summary(
      List<ClassScores> classes,
      Double iIoU,
      Double categoryIoU,
      Double categoryIIoU,
      Double micro) {
    return new Summary(
        mean(pick(classes, ClassScores::iou)),
        pixelAccuracy(classes),
        mean(pick(classes, ClassScores::acc)),
        mean(pick(classes, ClassScores::dice)),
        mean(pick(classes, ClassScores::fscore)),
        mean(pick(classes, ClassScores::precision)),
        mean(pick(classes, ClassScores::recall)),
        frequencyWeightedIoU(classes),
        iIoU,
        categoryIoU,
        categoryIIoU,
        micro);
  }

  private static ClassScores scores(
      Label label, long tp, long gt, long pred, Double iou, Double iiou) {
    Double precision = ratio(tp, pred);
    Double recall = ratio(tp, gt);
    return new ClassScores(
        label.name(),
        label.id(),
        label.trainId(),
        iou,
        iiou,
        recall,
        ratio(2.0 * tp, gt + pred),
        precision,
        recall,
        fscore(precision, recall),
        tp,
        gt,
        pred);
  }

  private static Double pixelAccuracy(List<ClassScores> classes) {
    long tp = 0;
    long gt = 0;
    for (ClassScores c : classes) {
      tp += c.tp();
      gt += c.gtPixels();
    }
    return ratio(tp, gt);
  }

  private static Double frequencyWeightedIoU(List<ClassScores> classes) {
    long gt = 0;
    for (ClassScores c : classes) {
      gt += c.gtPixels();
    }
    if (gt == 0) {
      return null;
    }
    double sum = 0;
    for (ClassScores c : classes) {
      if (c.iou() != null) {
        sum += (double) c.gtPixels() / gt * c.iou();
      }
    }
    return sum;
  }
}

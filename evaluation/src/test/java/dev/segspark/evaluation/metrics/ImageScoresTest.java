package dev.segspark.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Per-image figures follow the run's convention (hand-computed), predictions outside the classes
 * are counted as each reference tool counts them, and a prediction set of the wrong id kind is told
 * apart.
 */
class ImageScoresTest {
  private static final Offset<Double> EXACT = within(1e-15);
  private static final LabelTable THREE =
      LabelTables.ofClasses("three", 255, List.of("a", "b", "c"));
  private static final LabelTable CITYSCAPES = LabelTables.builtIn("cityscapes");

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  private static ImageCounts count(EvalSpace space, int[] gt, int[] pred) {
    return new PairCounter(space)
        .count(
            LabelMap.of8(gt.length, 1, bytes(gt)), LabelMap.of8(pred.length, 1, bytes(pred)), "i");
  }

  /** gt/pred pairs: (0,0) (1,2) (2,2) (255,1) (1,1) (1,7) (0,0) (2,0) (1,3). */
  private static final int[] GT = {0, 1, 2, 255, 1, 1, 0, 2, 1};

  private static final int[] PRED = {0, 2, 2, 1, 1, 7, 0, 0, 3};

  @Test
  void mmsegCountsOutOfRangePredictionsAsWrong() {
    EvalSpace space = EvalSpace.of(Convention.MMSEG, THREE, PredictionIds.TRAIN_IDS);
    ImageScores s = SemanticMetrics.image(space, count(space, GT, PRED));
    assertThat(s.evaluatedPixels()).isEqualTo(8);
    assertThat(s.ignoredPixels()).isEqualTo(1);
    assertThat(s.correctPixels()).isEqualTo(4);
    assertThat(s.pixelAccuracy()).isCloseTo(4.0 / 8, EXACT);
    // a: tp 2, gt 2, pred 3 -> 2/3; b: tp 1, gt 4 (7 and 3 out of range), pred 1 -> 1/4;
    // c: tp 1, gt 2, pred 2 -> 1/3
    assertThat(s.classIoU()).containsExactly(2.0 / 3, 1.0 / 4, 1.0 / 3);
    assertThat(s.meanIoU()).isCloseTo((2.0 / 3 + 1.0 / 4 + 1.0 / 3) / 3, EXACT);
  }

  @Test
  void detectron2DropsItsIgnoreSlotAndCountsLargerValuesAsWrong() {
    EvalSpace space = EvalSpace.of(Convention.DETECTRON2, THREE, PredictionIds.TRAIN_IDS);
    ImageCounts counts = count(space, GT, PRED);
    // SemSegEvaluator files prediction 3 (= K) in its ignore row: the pixel leaves every count;
    // prediction 7 would crash its bincount, so it is counted as a wrong pixel of class b
    assertThat(counts.ignored()).isEqualTo(2);
    ConfusionMatrix m = new ConfusionMatrix(3).add(counts);
    assertThat(m.outOfRange()).containsExactly(0, 1, 0);
    SemanticScores scores = SemanticMetrics.compute(space, m, null);
    assertThat(scores.classes().get(1).gtPixels()).isEqualTo(3);
    assertThat(scores.classes().get(1).iou()).isCloseTo(1.0 / 3, EXACT);
    ImageScores s = SemanticMetrics.image(space, counts);
    assertThat(s.evaluatedPixels()).isEqualTo(7);
    assertThat(s.ignoredPixels()).isEqualTo(2);
    assertThat(s.pixelAccuracy()).isCloseTo(4.0 / 7, EXACT);
    assertThat(s.meanIoU()).isCloseTo((2.0 / 3 + 1.0 / 3 + 1.0 / 3) / 3, EXACT);
  }

  @Test
  void torchmetricsCountsOutOfRangePredictionsAsWrong() {
    EvalSpace space = EvalSpace.of(Convention.TORCHMETRICS, THREE, PredictionIds.TRAIN_IDS);
    SemanticScores scores =
        SemanticMetrics.compute(space, new ConfusionMatrix(3).add(count(space, GT, PRED)), null);
    // b: tp 1, gt 4, pred 1: union 4 (out-of-range values no longer leave the counts)
    assertThat(scores.classes().get(1).iou()).isCloseTo(1.0 / 4, EXACT);
    assertThat(scores.summary().mIoU()).isCloseTo((2.0 / 3 + 1.0 / 4 + 1.0 / 3) / 3, EXACT);
    assertThat(scores.summary().microIoU()).isCloseTo(4.0 / (3 + 4 + 3), EXACT);
  }

  @Test
  void cityscapesImageFiguresScoreOnlyEvaluatedIds() {
    EvalSpace space = EvalSpace.of(Convention.CITYSCAPES, CITYSCAPES, PredictionIds.LABEL_IDS);
    // road, sidewalk, unlabeled (void: not scored), car
    ImageScores s =
        SemanticMetrics.image(
            space, count(space, new int[] {7, 8, 0, 26}, new int[] {7, 7, 7, 26}));
    assertThat(s.evaluatedPixels()).isEqualTo(3);
    assertThat(s.ignoredPixels()).isEqualTo(1);
    assertThat(s.correctPixels()).isEqualTo(2);
    assertThat(s.pixelAccuracy()).isCloseTo(2.0 / 3, EXACT);
    // road: tp 1, fp 1 (sidewalk; the void pixel predicted road is no FP) -> 1/2; sidewalk 0; car 1
    assertThat(s.meanIoU()).isCloseTo((0.5 + 0 + 1) / 3, EXACT);
    assertThat(s.classIoU()).hasSize(19);
    assertThat(s.classIoU().stream().filter(v -> v != null).toList())
        .containsExactly(0.5, 0.0, 1.0);
  }

  /**
   * {@link SemanticMetrics#image} scores the sparse counts directly; a report's figures come from
   * {@link SemanticMetrics#compute}. On random images (a few classes each, so most classes are
   * absent, some only predicted, out-of-range predictions where the convention counts them) the
   * per-image figures are exactly, bit for bit, those of the full computation on that image alone.
   */
  @Test
  void imageFiguresAreExactlyThoseOfTheFullComputationOnTheImageAlone() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(13);
    for (Convention c : Convention.values()) {
      for (LabelTable table : List.of(THREE, CITYSCAPES)) {
        boolean labelIds = c.usesAnnotationIds();
        if (labelIds && table != CITYSCAPES) {
          continue;
        }
        EvalSpace space =
            EvalSpace.of(c, table, labelIds ? PredictionIds.LABEL_IDS : PredictionIds.TRAIN_IDS);
        int[] values = labelIds ? space.indexIds() : range(space.size());
        for (int image = 0; image < 60; image++) {
          int[] gtPick =
              picks(rng, values, 1 + rng.nextInt(4), !labelIds && image % 5 == 0 ? 255 : -1);
          int[] predPick =
              picks(rng, values, 1 + rng.nextInt(4), !labelIds && image % 3 == 0 ? 200 : -1);
          int n = 1 + rng.nextInt(300);
          int[] gt = new int[n];
          int[] pred = new int[n];
          for (int i = 0; i < n; i++) {
            gt[i] = gtPick[rng.nextInt(gtPick.length)];
            pred[i] = predPick[rng.nextInt(predPick.length)];
          }
          ImageCounts counts = count(space, gt, pred);
          SemanticScores full =
              SemanticMetrics.compute(space, new ConfusionMatrix(space.size()).add(counts), null);
          long evaluated = full.classes().stream().mapToLong(ClassScores::gtPixels).sum();
          ImageScores s = SemanticMetrics.image(space, counts);
          String what = c.id() + " " + table.name() + " image " + image;
          assertThat(s.evaluatedPixels()).as(what).isEqualTo(evaluated);
          assertThat(s.ignoredPixels()).as(what).isEqualTo(n - evaluated);
          assertThat(s.correctPixels())
              .as(what)
              .isEqualTo(full.classes().stream().mapToLong(ClassScores::tp).sum());
          assertThat(s.pixelAccuracy()).as(what).isEqualTo(full.summary().aAcc());
          assertThat(s.meanIoU()).as(what).isEqualTo(full.summary().mIoU());
          assertThat(s.classIoU())
              .as(what)
              .isEqualTo(full.classes().stream().map(ClassScores::iou).toList());
        }
      }
    }
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** {@code k} values drawn from {@code values}, plus {@code extra} when it is not negative. */
  private static int[] picks(java.util.SplittableRandom rng, int[] values, int k, int extra) {
    int[] out = new int[extra < 0 ? k : k + 1];
    for (int i = 0; i < k; i++) {
      out[i] = values[rng.nextInt(values.length)];
    }
    if (extra >= 0) {
      out[k] = extra;
    }
    return out;
  }

  @Test
  void imageFiguresSumToTheReportTotalsUnderEveryConvention() {
    int[][] gts = {{0, 1, 2, 255, 1, 1}, {2, 2, 0, 0, 255, 1}, {1, 1, 1, 0, 2, 2}};
    int[][] preds = {{0, 2, 2, 1, 1, 7}, {2, 3, 0, 1, 0, 1}, {1, 0, 1, 0, 9, 2}};
    for (Convention c : List.of(Convention.MMSEG, Convention.DETECTRON2, Convention.TORCHMETRICS)) {
      EvalSpace space = EvalSpace.of(c, THREE, PredictionIds.TRAIN_IDS);
      ConfusionMatrix total = new ConfusionMatrix(3);
      long evaluated = 0;
      long correct = 0;
      long pixels = 0;
      List<ImageScores> images = new ArrayList<>();
      for (int i = 0; i < gts.length; i++) {
        ImageCounts counts = count(space, gts[i], preds[i]);
        total.add(counts);
        ImageScores s = SemanticMetrics.image(space, counts);
        images.add(s);
        evaluated += s.evaluatedPixels();
        correct += s.correctPixels();
        pixels += s.evaluatedPixels() + s.ignoredPixels();
      }
      SemanticScores report = SemanticMetrics.compute(space, total, null);
      assertThat(evaluated)
          .as(c.id())
          .isEqualTo(report.classes().stream().mapToLong(ClassScores::gtPixels).sum());
      assertThat(correct)
          .as(c.id())
          .isEqualTo(report.classes().stream().mapToLong(ClassScores::tp).sum());
      assertThat(pixels).as(c.id()).isEqualTo(18);
      assertThat((double) correct / evaluated).as(c.id()).isCloseTo(report.summary().aAcc(), EXACT);
    }
  }

  @Test
  void trainIdsReadAsLabelIdsAreTold() {
    EvalSpace space = EvalSpace.of(Convention.CITYSCAPES, CITYSCAPES, PredictionIds.LABEL_IDS);
    // ground truth road, road, sidewalk, car (label ids); the prediction holds their train ids
    ConfusionMatrix m =
        new ConfusionMatrix(space.size())
            .add(count(space, new int[] {7, 7, 8, 26}, new int[] {0, 0, 1, 13}));
    assertThat(PredictionIdCheck.mismatch(space, m))
        .contains("--prediction-ids labelIds declares")
        .contains("pass --prediction-ids trainIds")
        .contains("read as label ids they get 0.0%")
        .contains("read as train ids 100.0%");
    ConfusionMatrix right =
        new ConfusionMatrix(space.size())
            .add(count(space, new int[] {7, 7, 8, 26}, new int[] {7, 7, 8, 26}));
    assertThat(PredictionIdCheck.mismatch(space, right)).isNull();
  }

  @Test
  void labelIdsReadAsTrainIdsAreTold() {
    EvalSpace space = EvalSpace.of(Convention.MMSEG, CITYSCAPES, PredictionIds.TRAIN_IDS);
    // ground truth (label ids, mapped to train ids by the table) road, sidewalk, building, car;
    // the prediction holds the label ids 7, 8, 11, 26: 7 and 8 are valid train ids, so only the
    // comparison of both readings tells
    ConfusionMatrix m =
        new ConfusionMatrix(space.size())
            .add(count(space, new int[] {7, 8, 11, 26}, new int[] {7, 8, 11, 26}));
    assertThat(PredictionIdCheck.mismatch(space, m))
        .contains("--prediction-ids trainIds declares")
        .contains("pass --prediction-ids labelIds");
    ConfusionMatrix right =
        new ConfusionMatrix(space.size())
            .add(count(space, new int[] {7, 8, 11, 26}, new int[] {0, 1, 2, 13}));
    assertThat(PredictionIdCheck.mismatch(space, right)).isNull();
  }

  @Test
  void aPoorPredictionOfTheRightKindIsNotMistaken() {
    EvalSpace space = EvalSpace.of(Convention.MMSEG, THREE, PredictionIds.TRAIN_IDS);
    ConfusionMatrix m =
        new ConfusionMatrix(3).add(count(space, new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 2}));
    assertThat(PredictionIdCheck.mismatch(space, m)).isNull();
  }

  @Test
  void anUnknownPredictedTrainIdNamesTheOption() {
    EvalSpace space = EvalSpace.of(Convention.CITYSCAPES, CITYSCAPES, PredictionIds.TRAIN_IDS);
    assertThatThrownBy(() -> count(space, new int[] {7}, new int[] {26}))
        .hasMessageContaining("predicted train id 26 is not in the 'cityscapes' label table")
        .hasMessageContaining("pass --prediction-ids labelIds");
  }
}

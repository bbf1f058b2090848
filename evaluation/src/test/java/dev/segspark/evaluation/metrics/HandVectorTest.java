package dev.segspark.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The hand-computed vectors of the acceptance list, exact to 1e-12. */
class HandVectorTest {
  private static final Offset<Double> EXACT = within(1e-12);
  private static final LabelTable FOUR =
      LabelTables.ofClasses("four", 255, List.of("a", "b", "c", "d"));
  private static final int[] GT = {0, 0, 0, 0, 1, 1, 1, 1, 255, 255, 0, 1};
  private static final int[] PRED = {0, 0, 0, 1, 1, 1, 2, 2, 0, 3, 0, 1};

  static SemanticScores score(
      Convention convention,
      LabelTable table,
      PredictionIds ids,
      LabelMap gt,
      LabelMap pred,
      LabelMap instances) {
    EvalSpace space = EvalSpace.of(convention, table, ids);
    ConfusionMatrix m =
        new ConfusionMatrix(space.size()).add(new PairCounter(space).count(gt, pred, "img"));
    InstanceStats stats = null;
    if (instances != null) {
      stats = new InstanceStats().add(new InstanceCounter(space).count(instances, pred, "img"));
    }
    return SemanticMetrics.compute(space, m, stats);
  }

  private static LabelMap row(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return LabelMap.of8(values.length, 1, b);
  }

  private static SemanticScores fourClass(Convention c) {
    return score(c, FOUR, PredictionIds.TRAIN_IDS, row(GT), row(PRED), null);
  }

  private static List<Double> ious(SemanticScores s) {
    return s.classes().stream().map(ClassScores::iou).toList();
  }

  @Test
  void mmseg() {
    SemanticScores s = fourClass(Convention.MMSEG);
    assertThat(ious(s)).containsExactly(0.8, 0.5, 0.0, null);
    Summary sum = s.summary();
    assertThat(sum.mIoU()).isCloseTo(1.3 / 3, EXACT);
    assertThat(sum.aAcc()).isCloseTo(0.7, EXACT);
    assertThat(sum.mAcc()).isCloseTo(0.7, EXACT);
    assertThat(sum.mDice()).isCloseTo((8.0 / 9 + 6.0 / 9 + 0) / 3, EXACT);
    assertThat(sum.mDice()).isCloseTo(0.518518518518518, within(1e-12));
    assertThat(sum.mFscore()).isCloseTo(0.7777777777777777, EXACT);
    assertThat(sum.mPrecision()).isCloseTo(0.5833333333333333, EXACT);
    assertThat(sum.mRecall()).isCloseTo(0.7, EXACT);
    assertThat(s.classes().get(2).fscore()).as("F is null when TP = 0").isNull();
    assertThat(s.classes().get(2).precision()).isEqualTo(0.0);
    assertThat(s.classes().get(3).acc()).isNull();
    assertThat(s.classes().get(0).gtPixels()).isEqualTo(5);
    assertThat(s.classes().get(2).predPixels()).isEqualTo(2);
  }

  @Test
  void detectron2() {
    SemanticScores s = fourClass(Convention.DETECTRON2);
    assertThat(ious(s)).containsExactly(0.8, 0.5, null, null);
    assertThat(s.summary().mIoU()).isCloseTo(0.65, EXACT);
    assertThat(s.summary().fwIoU()).isCloseTo(0.65, EXACT);
    assertThat(s.summary().aAcc()).isCloseTo(0.7, EXACT);
    assertThat(s.summary().mAcc()).isCloseTo(0.7, EXACT);
  }

  @Test
  void torchmetrics() {
    SemanticScores s = fourClass(Convention.TORCHMETRICS);
    assertThat(s.summary().mIoU()).isCloseTo(1.3 / 3, EXACT);
    assertThat(s.summary().microIoU()).isCloseTo(7.0 / 13, EXACT);
  }

  @Test
  void cityscapes() {
    LabelTable cs = LabelTables.builtIn("cityscapes");
    LabelMap gt = LabelMap.of8(5, 2, bytes(7, 7, 7, 8, 8, 26, 26, 26, 9, 0));
    LabelMap pred = LabelMap.of8(5, 2, bytes(7, 7, 8, 8, 7, 26, 26, 7, 26, 26));
    short[] inst = new short[10];
    inst[5] = 26000;
    inst[6] = 26000;
    inst[7] = 26001;
    SemanticScores s =
        score(
            Convention.CITYSCAPES,
            cs,
            PredictionIds.LABEL_IDS,
            gt,
            pred,
            LabelMap.of16(5, 2, inst));
    assertThat(s.classes()).hasSize(19);
    assertThat(byName(s, "road").iou()).isCloseTo(0.4, EXACT);
    assertThat(byName(s, "sidewalk").iou()).isCloseTo(1.0 / 3, EXACT);
    assertThat(byName(s, "car").iou()).isCloseTo(2.0 / 3, EXACT);
    assertThat(byName(s, "building").iou()).isNull();
    assertThat(s.summary().mIoU()).isCloseTo(0.4666666666666667, EXACT);
    assertThat(byName(s, "car").iiou()).isCloseTo(0.5, EXACT);
    assertThat(byName(s, "person").iiou()).isNull();
    assertThat(byName(s, "road").iiou()).isNull();
    assertThat(s.summary().iIoU()).isCloseTo(0.5, EXACT);
    assertThat(category(s, "flat").iou()).isCloseTo(5.0 / 6, EXACT);
    assertThat(category(s, "vehicle").iou()).isCloseTo(2.0 / 3, EXACT);
    assertThat(category(s, "vehicle").iiou()).isCloseTo(0.5, EXACT);
    assertThat(category(s, "void").iou()).isNull();
    assertThat(s.summary().categoryIoU()).isCloseTo(0.75, EXACT);
  }

  @Test
  void cityscapesTrainIdPredictionsConvertBackToIds() {
    LabelTable cs = LabelTables.builtIn("cityscapes");
    LabelMap gt = LabelMap.of8(5, 2, bytes(7, 7, 7, 8, 8, 26, 26, 26, 9, 0));
    // the same prediction as trainIds: road 0, sidewalk 1, car 13
    LabelMap pred = LabelMap.of8(5, 2, bytes(0, 0, 1, 1, 0, 13, 13, 0, 13, 13));
    SemanticScores s = score(Convention.CITYSCAPES, cs, PredictionIds.TRAIN_IDS, gt, pred, null);
    assertThat(s.summary().mIoU()).isCloseTo(0.4666666666666667, EXACT);
    assertThat(s.summary().iIoU()).isNull();
  }

  private static ClassScores byName(SemanticScores s, String name) {
    return s.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static CategoryScores category(SemanticScores s, String name) {
    return s.categories().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}

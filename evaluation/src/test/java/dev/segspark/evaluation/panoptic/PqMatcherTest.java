package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PqMatcherTest {

  static final int PERSON = 1;
  static final int CAR = 3;
  static final int SKY = 10;

  static final PanopticCategories CATEGORIES =
      new PanopticCategories(
          List.of(
              new PanopticCategory(PERSON, "person", true),
              new PanopticCategory(CAR, "car", true),
              new PanopticCategory(SKY, "sky", false)));

  /** 5 wide, 4 high; 0 is VOID. */
  static PanopticImage groundTruth() {
    int[] ids = {
      1, 1, 1, 1, 3,
      3, 3, 3, 3, 3,
      3, 3, 0, 4, 4,
      4, 2, 2, 0, 0
    };
    return new PanopticImage(
        "gt.png",
        5,
        4,
        ids,
        List.of(
            new Segment(1, PERSON, false, 4),
            new Segment(2, PERSON, false, 2),
            new Segment(3, SKY, false, 8),
            new Segment(4, CAR, true, 3)));
  }

  static PanopticImage prediction() {
    int[] ids = {
      10, 10, 10, 10, 10,
      11, 11, 11, 11, 11,
      11, 11, 11, 12, 12,
      12, 12, 13, 13, 0
    };
    return new PanopticImage(
        "pred.png",
        5,
        4,
        ids,
        List.of(
            new Segment(10, PERSON, false, 0),
            new Segment(11, SKY, false, 0),
            new Segment(12, CAR, false, 0),
            new Segment(13, PERSON, false, 0)));
  }

  @Test
  void matchesAsPanopticapi() {
    // person: gt 1 ~ pred 10, inter 4, union 5 + 4 - 4 - 0 = 5, IoU 0.8 (TP);
    //         gt 2 ~ pred 13, inter 1, union 2 + 2 - 1 - 1 (pred on VOID) = 2, IoU 0.5 (not > 0.5);
    //         gt 2 is a FN; pred 13 lies half on VOID (1/2, not > 0.5): a FP.
    // sky:    gt 3 ~ pred 11, inter 7, union 8 + 8 - 7 - 1 = 8, IoU 0.875 (TP).
    // car:    gt 4 is crowd; pred 12 lies 3/4 on the car crowd region: ignored.
    PqStats stats = PqMatcher.match(groundTruth(), prediction(), CATEGORIES);

    assertThat(stats.tp(PERSON)).isEqualTo(1);
    assertThat(stats.fp(PERSON)).isEqualTo(1);
    assertThat(stats.fn(PERSON)).isEqualTo(1);
    assertThat(stats.iouSum(PERSON)).isEqualTo(0.8);
    assertThat(stats.tp(SKY)).isEqualTo(1);
    assertThat(stats.iouSum(SKY)).isEqualTo(0.875);
    assertThat(stats.tp(CAR) + stats.fp(CAR) + stats.fn(CAR)).isZero();
    assertThat(List.of(stats.totalTp(), stats.totalFp(), stats.totalFn()))
        .containsExactly(2L, 1L, 1L);
  }

  @Test
  void derivesScoresAsPanopticapi() {
    PqResult result =
        PqResult.of(PqMatcher.match(groundTruth(), prediction(), CATEGORIES), CATEGORIES);

    assertThat(result.classPq(PERSON))
        .isEqualTo(new ClassPq(PERSON, "person", true, 0.4, 0.8, 0.5, 1, 1, 1));
    assertThat(result.classPq(SKY))
        .isEqualTo(new ClassPq(SKY, "sky", false, 0.875, 0.875, 1.0, 1, 0, 0));
    assertThat(result.classPq(CAR))
        .isEqualTo(new ClassPq(CAR, "car", true, null, null, null, 0, 0, 0));
    assertThat(result.all()).isEqualTo(new PqSummary(0.6375, 0.8375, 0.75, 2));
    assertThat(result.things()).isEqualTo(new PqSummary(0.4, 0.8, 0.5, 1));
    assertThat(result.stuff()).isEqualTo(new PqSummary(0.875, 0.875, 1.0, 1));
    assertThat(result.classes()).extracting(ClassPq::id).containsExactly(PERSON, CAR, SKY);
  }

  @Test
  void emptyPredictionGivesZeroNotNaN() {
    PanopticImage empty = new PanopticImage("pred.png", 5, 4, new int[20], List.of());

    PqResult result = PqResult.of(PqMatcher.match(groundTruth(), empty, CATEGORIES), CATEGORIES);

    assertThat(result.classPq(PERSON))
        .isEqualTo(new ClassPq(PERSON, "person", true, 0.0, null, 0.0, 0, 0, 2));
    assertThat(result.classPq(SKY))
        .isEqualTo(new ClassPq(SKY, "sky", false, 0.0, null, 0.0, 0, 0, 1));
    // panopticapi averages a present class without TP with sq = 0
    assertThat(result.all()).isEqualTo(new PqSummary(0.0, 0.0, 0.0, 2));
  }

  @Test
  void emptyGroundTruthAndPredictionHaveUndefinedSummaries() {
    PanopticImage gt = new PanopticImage("gt.png", 2, 1, new int[2], List.of());
    PanopticImage pred = new PanopticImage("pred.png", 2, 1, new int[2], List.of());

    PqResult result = PqResult.of(PqMatcher.match(gt, pred, CATEGORIES), CATEGORIES);

    assertThat(result.all()).isEqualTo(new PqSummary(null, null, null, 0));
    assertThat(result.things()).isEqualTo(new PqSummary(null, null, null, 0));
    assertThat(result.stuff()).isEqualTo(new PqSummary(null, null, null, 0));
  }

  @Test
  void predictedSegmentWithIdZeroIsASegmentWhenListed() {
    // DETR numbers its segments from 0; panopticapi then treats PNG id 0 as that segment.
    PanopticImage gt =
        new PanopticImage(
            "gt.png", 3, 1, new int[] {5, 5, 5}, List.of(new Segment(5, SKY, false, 3)));
    PanopticImage pred =
        new PanopticImage("pred.png", 3, 1, new int[3], List.of(new Segment(0, SKY, false, 0)));

    PqStats stats = PqMatcher.match(gt, pred, CATEGORIES);

    assertThat(stats.tp(SKY)).isEqualTo(1);
    assertThat(stats.iouSum(SKY)).isEqualTo(1.0);
  }

  @Test
  void crowdRegionIsTheLastCrowdSegmentOfItsCategory() {
    // Two car crowd segments (7 then 8); panopticapi only looks at the last one.
    PanopticImage gt =
        new PanopticImage(
            "gt.png",
            4,
            1,
            new int[] {7, 7, 8, 8},
            List.of(new Segment(7, CAR, true, 2), new Segment(8, CAR, true, 2)));
    PanopticImage pred =
        new PanopticImage(
            "pred.png",
            4,
            1,
            new int[] {20, 20, 21, 21},
            List.of(new Segment(20, CAR, false, 0), new Segment(21, CAR, false, 0)));

    PqStats stats = PqMatcher.match(gt, pred, CATEGORIES);

    // pred 20 lies on crowd 7 only, which is not the category's crowd region: a FP
    assertThat(stats.fp(CAR)).isEqualTo(1);
    assertThat(stats.tp(CAR) + stats.fn(CAR)).isZero();
  }

  @Test
  void rejectsPredictedIdMissingFromJson() {
    int[] ids = prediction().ids().clone();
    ids[0] = 99;
    PanopticImage pred = new PanopticImage("pred.png", 5, 4, ids, prediction().segments());

    assertThatThrownBy(() -> PqMatcher.match(groundTruth(), pred, CATEGORIES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pred.png")
        .hasMessageContaining("predicted segment id is in the PNG but not in the JSON (99)");
  }

  @Test
  void rejectsPredictedJsonSegmentMissingFromPng() {
    List<Segment> segments =
        List.of(
            new Segment(10, PERSON, false, 0),
            new Segment(11, SKY, false, 0),
            new Segment(12, CAR, false, 0),
            new Segment(13, PERSON, false, 0),
            new Segment(14, PERSON, false, 0));
    PanopticImage pred = new PanopticImage("pred.png", 5, 4, prediction().ids(), segments);

    assertThatThrownBy(() -> PqMatcher.match(groundTruth(), pred, CATEGORIES))
        .hasMessageContaining("predicted segment ids are in the JSON but not in the PNG ([14])");
  }

  @Test
  void rejectsUnknownPredictedCategory() {
    List<Segment> segments =
        List.of(
            new Segment(10, PERSON, false, 0),
            new Segment(11, 77, false, 0),
            new Segment(12, CAR, false, 0),
            new Segment(13, PERSON, false, 0));
    PanopticImage pred = new PanopticImage("pred.png", 5, 4, prediction().ids(), segments);

    assertThatThrownBy(() -> PqMatcher.match(groundTruth(), pred, CATEGORIES))
        .hasMessageContaining("predicted segment 11 has an unknown category_id (77)");
  }

  @Test
  void rejectsUnknownGroundTruthCategory() {
    PanopticImage gt =
        new PanopticImage("gt.png", 1, 1, new int[] {1}, List.of(new Segment(1, 77, false, 1)));
    PanopticImage pred = new PanopticImage("pred.png", 1, 1, new int[1], List.of());

    assertThatThrownBy(() -> PqMatcher.match(gt, pred, CATEGORIES))
        .hasMessageContaining("ground-truth segment 1 has an unknown category_id (77)");
  }

  @Test
  void rejectsGroundTruthIdsThatDisagreeWithJson() {
    int[] ids = groundTruth().ids().clone();
    ids[0] = 42;
    PanopticImage unlisted = new PanopticImage("gt.png", 5, 4, ids, groundTruth().segments());
    PanopticImage missing =
        new PanopticImage(
            "gt.png",
            1,
            1,
            new int[] {1},
            List.of(new Segment(1, SKY, false, 1), new Segment(2, SKY, false, 1)));

    assertThatThrownBy(() -> PqMatcher.match(unlisted, prediction(), CATEGORIES))
        .hasMessageContaining("ground-truth segment id is in the PNG but not in the JSON (42)");
    assertThatThrownBy(
            () ->
                PqMatcher.match(
                    missing, new PanopticImage("p", 1, 1, new int[1], List.of()), CATEGORIES))
        .hasMessageContaining("ground-truth segment ids are in the JSON but not in the PNG ([2])");
  }

  @Test
  void rejectsSizeMismatch() {
    PanopticImage pred = new PanopticImage("pred.png", 5, 3, new int[15], List.of());

    assertThatThrownBy(() -> PqMatcher.match(groundTruth(), pred, CATEGORIES))
        .hasMessageContaining("Cannot match panoptic segments of image gt.png")
        .hasMessageContaining("prediction size differs from ground truth (5x3 vs 5x4)");
  }

  @Test
  void rejectsInconsistentImages() {
    assertThatThrownBy(() -> new PanopticImage("a.png", 5, 4, new int[19], List.of()))
        .hasMessageContaining("ids length must equal width*height (5x4 vs 19)");
    assertThatThrownBy(
            () ->
                new PanopticImage(
                    "a.png",
                    1,
                    1,
                    new int[1],
                    List.of(new Segment(3, SKY, false, 1), new Segment(3, CAR, false, 1))))
        .hasMessageContaining("segment id listed twice in segments info (3)");
    assertThatThrownBy(() -> new Segment(1 << 24, SKY, false, 1))
        .hasMessageContaining("id must be in [0, 2^24) (16777216)");
  }

  @Test
  void decodesRgbAsPanopticapi() {
    assertThat(PanopticImage.idFromRgb(0xFF010203)).isEqualTo(1 + 256 * 2 + 65536 * 3);
  }
}

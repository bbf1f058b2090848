package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetrPanopticPostProcessorTest {

  static final int ROAD = 0;
  static final int PERSON = 1;
  static final int CAR = 2;
  static final int SKY = 3;
  static final int NO_OBJECT = 4;

  /** Probability of a class whose logit is 10 when the 4 others are 0. */
  static final double CONFIDENT = 1 / (1 + 4 * Math.exp(-10));

  static final DetrPanopticPostProcessor PROCESSOR =
      new DetrPanopticPostProcessor(Set.of(PERSON, CAR));

  static float[] oneHot(int label, float logit) {
    float[] row = new float[5];
    row[label] = logit;
    return row;
  }

  static float[] concat(float[]... parts) {
    int length = 0;
    for (float[] part : parts) {
      length += part.length;
    }
    float[] all = new float[length];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, offset, part.length);
      offset += part.length;
    }
    return all;
  }

  static float[] floats(int length, float value) {
    float[] array = new float[length];
    java.util.Arrays.fill(array, value);
    return array;
  }

  @Test
  void dropsSmallSegmentsAndReassignsTheirPixels() {
    // 3 x 6 image, five queries:
    //   q0 person (kept), q1 sky (kept, wins only 3 pixels), q2 "no object", q3 car with
    //   probability e^2 / (e^2 + 4) = 0.65 <= 0.85, q4 road (kept).
    float[] logits =
        concat(
            oneHot(PERSON, 10),
            oneHot(SKY, 10),
            oneHot(NO_OBJECT, 10),
            oneHot(CAR, 2),
            oneHot(ROAD, 10));
    float[] person = {
      5, 5, 3, 0, 0, 0,
      5, 5, 0, 0, 0, 0,
      5, 5, 0, 0, 0, 1
    };
    float[] sky = {
      -5, -5, 5, 5, 5, -5,
      -5, -5, -5, -5, -5, -5,
      -5, -5, -5, -5, -5, -5
    };
    float[] road = floats(18, 1);
    // Dropped queries have the highest masks: they must not take any pixel.
    float[] masks = concat(person, sky, floats(18, 100), floats(18, 100), road);

    DetrPanopticOutput output = PROCESSOR.process(new DetrRawOutput(logits, masks, 5, 5, 3, 6));

    // First pass: person 7 pixels (the tie at the bottom right goes to the lower query),
    // sky 3 (<= 4: dropped), road 8. Second pass without sky: its (0,2) goes to person
    // (3 > 1), (0,3) and (0,4) to road.
    assertThat(output.ids()).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0);
    assertThat(output.segments())
        .extracting(
            DetrSegment::id, DetrSegment::categoryId, DetrSegment::isThing, DetrSegment::area)
        .containsExactly(tuple(0, PERSON, true, 8L), tuple(1, ROAD, false, 10L));
    assertThat(output.segments().get(0).score()).isCloseTo(CONFIDENT, within(1e-15));
    assertThat(output.segments().get(1).score()).isCloseTo(CONFIDENT, within(1e-15));
  }

  @Test
  void mergesStuffDuplicatesOnlyInTheFirstPassAsDetr() {
    // q0 and q1 are both sky, q2 a person; each wins 6 pixels in the first pass. Merging q1 into
    // q0 leaves q1 with area 0, so it is dropped and the arg-max is recomputed without merging:
    // q1's columns go to the person (3 > 0), not to q0's sky.
    float[] logits = concat(oneHot(SKY, 10), oneHot(SKY, 10), oneHot(PERSON, 10));
    float[] left = {
      5, 5, 0, 0, 0, 0,
      5, 5, 0, 0, 0, 0,
      5, 5, 0, 0, 0, 0
    };
    float[] middle = {
      0, 0, 5, 5, 0, 0,
      0, 0, 5, 5, 0, 0,
      0, 0, 5, 5, 0, 0
    };
    float[] person = {
      3, 3, 3, 3, 6, 6,
      3, 3, 3, 3, 6, 6,
      3, 3, 3, 3, 6, 6
    };

    DetrPanopticOutput output =
        PROCESSOR.process(new DetrRawOutput(logits, concat(left, middle, person), 3, 5, 3, 6));

    assertThat(output.ids()).containsExactly(0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1);
    assertThat(output.segments())
        .extracting(DetrSegment::categoryId, DetrSegment::area)
        .containsExactly(tuple(SKY, 6L), tuple(PERSON, 12L));
  }

  @Test
  void keepsNothingWhenNoQueryIsConfident() {
    float[] logits = concat(oneHot(NO_OBJECT, 10), oneHot(PERSON, 1));

    DetrPanopticOutput output =
        PROCESSOR.process(new DetrRawOutput(logits, floats(2 * 6, 1), 2, 5, 2, 3));

    assertThat(output.ids()).containsOnly(0);
    assertThat(output.segments()).isEmpty();
    assertThat(output.toPanopticImage("x.png").segments()).isEmpty();
  }

  @Test
  void dropsEverySegmentWhenAllAreSmall() {
    float[] logits = concat(oneHot(PERSON, 10), oneHot(CAR, 10));
    float[] masks = concat(new float[] {1, 1, 1, 0}, new float[] {0, 0, 0, 1});

    DetrPanopticOutput output = PROCESSOR.process(new DetrRawOutput(logits, masks, 2, 5, 2, 2));

    assertThat(output.ids()).containsExactly(0, 0, 0, 0);
    assertThat(output.segments()).isEmpty();
  }

  @Test
  void outputEvaluatesAsAPrediction() {
    float[] logits = concat(oneHot(SKY, 10));
    DetrPanopticOutput output =
        PROCESSOR.process(new DetrRawOutput(logits, floats(6, 1), 1, 5, 2, 3));
    PanopticImage gt =
        new PanopticImage("gt.png", 3, 2, ints(6, 9), List.of(new Segment(9, SKY, false, 6)));
    PanopticCategories categories =
        new PanopticCategories(List.of(new PanopticCategory(SKY, "sky", false)));

    PqStats stats = PqMatcher.match(gt, output.toPanopticImage("pred.png"), categories);

    assertThat(stats.tp(SKY)).isEqualTo(1);
    assertThat(stats.iouSum(SKY)).isEqualTo(1.0);
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(() -> new DetrRawOutput(new float[9], new float[12], 2, 5, 2, 3))
        .hasMessageContaining("pred_logits length must be queries * (classes + 1) (9 vs 2x5)");
    assertThatThrownBy(() -> new DetrRawOutput(new float[10], new float[11], 2, 5, 2, 3))
        .hasMessageContaining("pred_masks length must be queries * height * width (11 vs 2x2x3)");
    assertThatThrownBy(() -> new DetrPanopticPostProcessor(Set.of(), 1.0))
        .hasMessageContaining("threshold must be in [0, 1) (1.0)");
  }

  static int[] ints(int length, int value) {
    int[] array = new int[length];
    java.util.Arrays.fill(array, value);
    return array;
  }
}

package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The joint histogram counts runs four pixels at a time; every pixel must still land in its pair of
 * slots, whatever the run lengths and image sizes, and an id missing from the JSON is still found
 * wherever it is.
 */
class JointHistogramTest {
  private static final int[] GT_IDS = {0, 7, 300, 65793, 16777215};
  private static final int[] PRED_IDS = {0, 5, 7, 1000, 2};

  private static List<Segment> segments(int[] ids) {
    List<Segment> out = new ArrayList<>();
    for (int id : ids) {
      if (id != PanopticImage.VOID) {
        out.add(new Segment(id, 1, false, 1));
      }
    }
    return out;
  }

  private static int[] runs(SplittableRandom rng, int n, int maxRun, int[] ids) {
    int[] out = new int[n];
    for (int i = 0; i < n; ) {
      int id = ids[rng.nextInt(ids.length)];
      for (int len = 1 + rng.nextInt(maxRun); len > 0 && i < n; len--, i++) {
        out[i] = id;
      }
    }
    return out;
  }

  @Test
  void everyPixelLandsInItsPairOfSlots() {
    SplittableRandom rng = new SplittableRandom(3);
    SegmentIndex gtIndex = new SegmentIndex(segments(GT_IDS));
    SegmentIndex predIndex = new SegmentIndex(segments(PRED_IDS));
    for (int trial = 0; trial < 2000; trial++) {
      int n = trial < 40 ? trial + 1 : 1 + rng.nextInt(trial % 5 == 0 ? 3000 : 60);
      int[] gt = runs(rng, n, 1 + rng.nextInt(trial % 3 == 0 ? 3 : 50), GT_IDS);
      int[] pred = runs(rng, n, 1 + rng.nextInt(30), PRED_IDS);
      JointHistogram h =
          JointHistogram.count(
              new PanopticImage("g", n, 1, gt, segments(GT_IDS)),
              new PanopticImage("p", n, 1, pred, segments(PRED_IDS)),
              gtIndex,
              predIndex);
      long[][] naive = new long[gtIndex.slots()][predIndex.slots()];
      for (int i = 0; i < n; i++) {
        naive[gtIndex.slot(gt[i])][predIndex.slot(pred[i])]++;
      }
      for (int g = 0; g < gtIndex.slots(); g++) {
        long row = 0;
        for (int p = 0; p < predIndex.slots(); p++) {
          assertThat(h.get(g, p)).as("trial %d (%d, %d)", trial, g, p).isEqualTo(naive[g][p]);
          row += naive[g][p];
        }
        assertThat(h.rowSum(g)).isEqualTo(row);
      }
    }
  }

  @Test
  void anIdMissingFromTheJsonIsFoundAnywhere() {
    SegmentIndex gtIndex = new SegmentIndex(segments(GT_IDS));
    SegmentIndex predIndex = new SegmentIndex(segments(PRED_IDS));
    for (int at = 0; at < 11; at++) {
      int[] gt = new int[11];
      int[] pred = new int[11];
      pred[at] = 999; // not listed
      int where = at;
      assertThatThrownBy(
              () ->
                  JointHistogram.count(
                      new PanopticImage("g", 11, 1, gt, segments(GT_IDS)),
                      new PanopticImage("p", 11, 1, pred, segments(PRED_IDS)),
                      gtIndex,
                      predIndex))
          .as("at %d", where)
          .hasMessageContaining("predicted segment id is in the PNG but not in the JSON (999)");
    }
  }
}

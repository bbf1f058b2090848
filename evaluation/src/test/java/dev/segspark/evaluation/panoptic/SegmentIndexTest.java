package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each listed id finds its list position plus one; VOID unlisted is slot 0; others are not listed.
 */
class SegmentIndexTest {
  @Test
  void everyListedIdFindsItsSlotAndNothingElseDoes() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int trial = 0; trial < 300; trial++) {
      int n = trial % 50;
      Set<Integer> ids = new LinkedHashSet<>();
      while (ids.size() < n) {
        int bound = trial % 3 == 0 ? 64 : Segment.ID_LIMIT;
        ids.add(rng.nextInt(bound)); // small ids collide in the table's low bits
      }
      List<Segment> segments = new ArrayList<>();
      ids.forEach(id -> segments.add(new Segment(id, 1, false, 1)));
      SegmentIndex index = new SegmentIndex(segments);
      assertThat(index.slots()).isEqualTo(n + 1);
      for (int k = 0; k < n; k++) {
        assertThat(index.slot(segments.get(k).id())).isEqualTo(k + 1);
      }
      assertThat(index.slot(PanopticImage.VOID))
          .isEqualTo(ids.contains(0) ? 1 + indexOf(segments, 0) : 0);
      for (int probe = 0; probe < 200; probe++) {
        int id = rng.nextInt(trial % 3 == 0 ? 128 : Segment.ID_LIMIT);
        if (!ids.contains(id) && id != PanopticImage.VOID) {
          assertThat(index.slot(id)).isEqualTo(SegmentIndex.NOT_LISTED);
        }
      }
    }
  }

  private static int indexOf(List<Segment> segments, int id) {
    for (int k = 0; k < segments.size(); k++) {
      if (segments.get(k).id() == id) {
        return k;
      }
    }
    return -1;
  }
}

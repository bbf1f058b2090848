package dev.segspark.evaluation.panoptic;

import java.util.Arrays;
import java.util.List;

/**
 * Maps segment ids to dense slots for the joint histogram: slot 0 is unlisted VOID (id 0 when no
 * segment has id 0), slot {@code k + 1} is the {@code k}-th segment of the list.
 */
final class SegmentIndex {

  static final int NOT_LISTED = -1;

  private final int[] sortedIds;
  private final int[] slotOfSorted;

  SegmentIndex(List<Segment> segments) {
    int n = segments.size();
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      packed[k] = ((long) segments.get(k).id() << 32) | (k + 1);
    }
    Arrays.sort(packed);
    sortedIds = new int[n];
    slotOfSorted = new int[n];
    for (int j = 0; j < n; j++) {
      sortedIds[j] = (int) (packed[j] >>> 32);
      slotOfSorted[j] = (int) packed[j];
    }
  }

  /** Returns the slot of a pixel's id, 0 for unlisted VOID, {@link #NOT_LISTED} otherwise. */
  int slot(int id) {
    int j = Arrays.binarySearch(sortedIds, id);
    if (j >= 0) {
      return slotOfSorted[j];
    }
    return id == PanopticImage.VOID ? 0 : NOT_LISTED;
  }

  /** Number of slots: the segments plus the VOID slot. */
  int slots() {
    return sortedIds.length + 1;
  }
}

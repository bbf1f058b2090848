package dev.segspark.evaluation.metrics;

import java.io.Serializable;

/**
 * One image's ground-truth instances for iIoU, as parallel arrays: the instance's class (annotation
 * id), its size in pixels, the pixels predicted as its class ({@code tp}) and the pixels predicted
 * as any class of its category ({@code categoryTp}).
 */
public record InstanceCounts(int[] labelIds, int[] sizes, int[] tp, int[] categoryTp)
    implements Serializable {

  /** No instances. */
  public static final InstanceCounts NONE =
      new InstanceCounts(new int[0], new int[0], new int[0], new int[0]);

  /** Number of instances. */
  public int count() {
    return labelIds.length;
  }
}

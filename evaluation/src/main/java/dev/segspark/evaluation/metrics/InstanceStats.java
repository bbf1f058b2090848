package dev.segspark.evaluation.metrics;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summed instance statistics for iIoU, exact and independent of merge order: per class and instance
 * size, the number of instances and the sums of their true-positive and category-true-positive
 * pixels (all integers). The weighted sums cityscapesScripts accumulates per instance ({@code tp ·
 * avgSize / size}) are derived from these in ascending size order.
 */
public final class InstanceStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** label id → (size → {instances, Σtp, ΣcategoryTp}). */
  private final TreeMap<Integer, TreeMap<Integer, long[]>> byLabel = new TreeMap<>();

  /** Adds one image's instances. */
  public InstanceStats add(InstanceCounts image) {
    for (int i = 0; i < image.count(); i++) {
      long[] s =
          byLabel
              .computeIfAbsent(image.labelIds()[i], k -> new TreeMap<>())
              .computeIfAbsent(image.sizes()[i], k -> new long[3]);
      s[0]++;
      s[1] += image.tp()[i];
      s[2] += image.categoryTp()[i];
    }
    return this;
  }

  /** Adds another accumulator into this one and returns this. */
  public InstanceStats merge(InstanceStats other) {
    other.byLabel.forEach(
        (label, sizes) ->
            sizes.forEach(
                (size, s) -> {
                  long[] t =
                      byLabel
                          .computeIfAbsent(label, k -> new TreeMap<>())
                          .computeIfAbsent(size, k -> new long[3]);
                  for (int j = 0; j < 3; j++) {
                    t[j] += s[j];
                  }
                }));
    return this;
  }

  /**
   * {tpWeighted, fnWeighted} of one class: Σ tp·w and Σ (size−tp)·w with w = avgSize / size; with
   * {@code category} the true positives are pixels predicted as any class of the category.
   */
  public double[] weighted(int labelId, double averageSize, boolean category) {
    double tpWeighted = 0;
    double fnWeighted = 0;
    for (Map.Entry<Integer, long[]> e : byLabel.getOrDefault(labelId, new TreeMap<>()).entrySet()) {
      double weight = averageSize / e.getKey();
      long tp = category ? e.getValue()[2] : e.getValue()[1];
      long fn = e.getValue()[0] * e.getKey() - tp;
      tpWeighted += tp * weight;
      fnWeighted += fn * weight;
    }
    return new double[] {tpWeighted, fnWeighted};
  }

  /** Number of instances of one class. */
  public long instances(int labelId) {
    return byLabel.getOrDefault(labelId, new TreeMap<>()).values().stream()
        .mapToLong(s -> s[0])
        .sum();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InstanceStats other) || !other.byLabel.keySet().equals(byLabel.keySet())) {
      return false;
    }
    for (var e : byLabel.entrySet()) {
      var mine = e.getValue();
      var theirs = other.byLabel.get(e.getKey());
      if (!mine.keySet().equals(theirs.keySet())) {
        return false;
      }
      for (var s : mine.entrySet()) {
        if (!java.util.Arrays.equals(s.getValue(), theirs.get(s.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return byLabel.keySet().hashCode();
  }
}

package dev.segspark.evaluation.panoptic;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Mergeable sufficient statistics of panoptic quality: per category the number of true positives,
 * false positives, false negatives and the sum of the IoUs of the true positives.
 *
 * <p>The IoU sum is kept exactly, so that results do not depend on the order in which per-image or
 * per-partition statistics are merged: per category, for each distinct union size {@code u} the sum
 * of the intersections of the matches with that union. The IoU sum is then {@code Σ_u (Σ
 * intersections_u) / u}, evaluated in ascending {@code u}. It may differ from panopticapi's running
 * double sum in the last bits (panopticapi's own sum depends on its split over cores).
 *
 * <p>Not thread-safe. {@link #merge(PqStats)} adds into this instance (Spark aggregator style).
 */
public final class PqStats implements Serializable {

  private static final long serialVersionUID = 1L;

  private final TreeMap<Integer, CategoryStats> byCategory = new TreeMap<>();

  /**
   * Records a matched pair (a true positive).
   *
   * @param categoryId category of the pair
   * @param intersection pixels shared by the two segments, {@code >= 0}
   * @param union the pair's union as panopticapi defines it, {@code > 0}
   */
  public void addTruePositive(int categoryId, long intersection, long union) {
    if (union <= 0 || intersection < 0) {
      throw new IllegalArgumentException(
          "Cannot add true positive: union must be > 0 and intersection >= 0 ("
              + intersection
              + "/"
              + union
              + ")");
    }
    CategoryStats stats = category(categoryId);
    stats.tp++;
    stats.intersectionByUnion.merge(union, intersection, Long::sum);
  }

  /**
   * Records an unmatched, not ignored prediction.
   *
   * @param categoryId its category
   */
  public void addFalsePositive(int categoryId) {
    category(categoryId).fp++;
  }

  /**
   * Records an unmatched, non-crowd ground-truth segment.
   *
   * @param categoryId its category
   */
  public void addFalseNegative(int categoryId) {
    category(categoryId).fn++;
  }

  /**
   * Adds another instance's counts into this one.
   *
   * @param other statistics to add; unchanged
   * @return this instance
   */
  public PqStats merge(PqStats other) {
    for (Map.Entry<Integer, CategoryStats> entry : other.byCategory.entrySet()) {
      category(entry.getKey()).add(entry.getValue());
    }
    return this;
  }

  /**
   * Returns the categories that have at least one recorded event.
   *
   * @return category ids in ascending order
   */
  public Set<Integer> categoryIds() {
    return Collections.unmodifiableSet(byCategory.keySet());
  }

  /**
   * Returns the true positives of a category.
   *
   * @param categoryId category id
   * @return the count, 0 if none recorded
   */
  public long tp(int categoryId) {
    CategoryStats stats = byCategory.get(categoryId);
    return stats == null ? 0 : stats.tp;
  }

  /**
   * Returns the false positives of a category.
   *
   * @param categoryId category id
   * @return the count, 0 if none recorded
   */
  public long fp(int categoryId) {
    CategoryStats stats = byCategory.get(categoryId);
    return stats == null ? 0 : stats.fp;
  }

  /**
   * Returns the false negatives of a category.
   *
   * @param categoryId category id
   * @return the count, 0 if none recorded
   */
  public long fn(int categoryId) {
    CategoryStats stats = byCategory.get(categoryId);
    return stats == null ? 0 : stats.fn;
  }

  /**
   * Returns the sum of the IoUs of a category's true positives, evaluated in a canonical order.
   *
   * @param categoryId category id
   * @return the sum, 0 if none recorded
   */
  public double iouSum(int categoryId) {
    CategoryStats stats = byCategory.get(categoryId);
    return stats == null ? 0.0 : stats.iouSum();
  }

  /**
   * Returns the true positives over all categories (for per-image tables).
   *
   * @return the total
   */
  public long totalTp() {
    long total = 0;
    for (CategoryStats stats : byCategory.values()) {
      total += stats.tp;
    }
    return total;
  }

  /**
   * Returns the false positives over all categories (for per-image tables).
   *
   * @return the total
   */
  public long totalFp() {
    long total = 0;
    for (CategoryStats stats : byCategory.values()) {
      total += stats.fp;
    }
    return total;
  }

  /**
   * Returns the false negatives over all categories (for per-image tables).
   *
   * @return the total
   */
  public long totalFn() {
    long total = 0;
    for (CategoryStats stats : byCategory.values()) {
      total += stats.fn;
    }
    return total;
  }

  private CategoryStats category(int categoryId) {
    return byCategory.computeIfAbsent(categoryId, id -> new CategoryStats());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PqStats that && byCategory.equals(that.byCategory);
  }

  @Override
  public int hashCode() {
    return byCategory.hashCode();
  }

  @Override
  public String toString() {
    return "PqStats" + byCategory;
  }

  /** Counts of one category. */
  private static final class CategoryStats implements Serializable {

    private static final long serialVersionUID = 1L;

    private long tp;
    private long fp;
    private long fn;
    private final TreeMap<Long, Long> intersectionByUnion = new TreeMap<>();

    void add(CategoryStats other) {
      tp += other.tp;
      fp += other.fp;
      fn += other.fn;
      other.intersectionByUnion.forEach((u, i) -> intersectionByUnion.merge(u, i, Long::sum));
    }

    double iouSum() {
      double sum = 0.0;
      for (Map.Entry<Long, Long> entry : intersectionByUnion.entrySet()) {
        sum += (double) entry.getValue() / entry.getKey();
      }
      return sum;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CategoryStats that
          && tp == that.tp
          && fp == that.fp
          && fn == that.fn
          && intersectionByUnion.equals(that.intersectionByUnion);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tp, fp, fn, intersectionByUnion);
    }

    @Override
    public String toString() {
      return "{tp=" + tp + ", fp=" + fp + ", fn=" + fn + ", iouSum=" + iouSum() + "}";
    }
  }
}

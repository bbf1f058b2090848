package dev.segspark.evaluation.panoptic;

import java.util.ArrayList;
import java.util.List;

/**
 * Panoptic quality of a dataset: the All / Things / Stuff summaries and one row per category of the
 * table (in table order, absent categories included with null scores).
 *
 * @param all average over all present categories
 * @param things average over present thing categories
 * @param stuff average over present stuff categories
 * @param classes one entry per category, in table order
 */
public record PqResult(PqSummary all, PqSummary things, PqSummary stuff, List<ClassPq> classes) {

  /** Copies the class list. */
  public PqResult {
    if (all == null || things == null || stuff == null) {
      throw new IllegalArgumentException("Cannot create PQ result: summaries are required (null)");
    }
    classes = List.copyOf(classes);
  }

  /**
   * Derives the scores from summed statistics, as panopticapi's {@code pq_average}.
   *
   * @param stats statistics summed over the dataset
   * @param categories the category table; its order is the summation order of the averages
   * @return the result
   * @throws IllegalArgumentException if the statistics have a category the table does not know
   */
  public static PqResult of(PqStats stats, PanopticCategories categories) {
    for (int categoryId : stats.categoryIds()) {
      if (!categories.contains(categoryId)) {
        throw new IllegalArgumentException(
            "Cannot compute PQ: statistics have a category the table does not know ("
                + categoryId
                + ")");
      }
    }
    List<ClassPq> classes = new ArrayList<>(categories.size());
    for (PanopticCategory category : categories.list()) {
      classes.add(classPq(category, stats));
    }
    return new PqResult(
        average(classes, null), average(classes, true), average(classes, false), classes);
  }

  /**
   * Looks a category's row up.
   *
   * @param categoryId category id
   * @return the row
   * @throws IllegalArgumentException if the result has no such category
   */
  public ClassPq classPq(int categoryId) {
    for (ClassPq row : classes) {
      if (row.id() == categoryId) {
        return row;
      }
    }
    throw new IllegalArgumentException(
        "Cannot find class PQ: no such category (" + categoryId + ")");
  }

  private static ClassPq classPq(PanopticCategory category, PqStats stats) {
    int id = category.id();
    long tp = stats.tp(id);
    long fp = stats.fp(id);
    long fn = stats.fn(id);
    if (tp + fp + fn == 0) {
      return new ClassPq(id, category.name(), category.isThing(), null, null, null, 0, 0, 0);
    }
    double iou = stats.iouSum(id);
    double denominator = tp + 0.5 * fp + 0.5 * fn;
    Double sq = tp == 0 ? null : iou / tp;
    return new ClassPq(
        id,
        category.name(),
        category.isThing(),
        iou / denominator,
        sq,
        tp / denominator,
        tp,
        fp,
        fn);
  }

  /** Sums in table order and divides once, as panopticapi; {@code isThing == null} means all. */
  private static PqSummary average(List<ClassPq> classes, Boolean isThing) {
    double pq = 0;
    double sq = 0;
    double rq = 0;
    int n = 0;
    for (ClassPq row : classes) {
      if (!row.isPresent() || (isThing != null && row.isThing() != isThing)) {
        continue;
      }
      n++;
      pq += row.pq();
      sq += row.sq() == null ? 0.0 : row.sq();
      rq += row.rq();
    }
    if (n == 0) {
      return new PqSummary(null, null, null, 0);
    }
    return new PqSummary(pq / n, sq / n, rq / n, n);
  }
}

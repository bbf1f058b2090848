package dev.segspark.evaluation.metrics;

import java.util.List;
import java.util.Objects;

/** Null-propagating arithmetic for scores: 0/0 is null, never NaN. */
final class Ratios {
  private Ratios() {}

  static Double ratio(double num, double den) {
    return den == 0 ? null : num / den;
  }

  static Double fscore(Double precision, Double recall) {
    if (precision == null || recall == null || precision + recall == 0) {
      return null;
    }
    return 2 * precision * recall / (precision + recall);
  }

  /** Mean of the non-null values, null if none (cityscapesScripts' getScoreAverage, np.nanmean). */
  static Double mean(List<Double> values) {
    double sum = 0;
    int n = 0;
    for (Double v : values) {
      if (v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  static List<Double> pick(
      List<ClassScores> classes, java.util.function.Function<ClassScores, Double> f) {
    return classes.stream().map(f).filter(Objects::nonNull).toList();
  }
}

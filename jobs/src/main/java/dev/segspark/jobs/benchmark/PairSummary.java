package dev.segspark.jobs.benchmark;

import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.evaluation.report.SemanticReport;
import java.util.List;
import java.util.Map;

/**
 * One model x dataset pair over its timed runs.
 *
 * @param model model label
 * @param dataset dataset label
 * @param modelFacts spec, engine, adapter, parameters, file bytes, input, batch, precision, device
 * @param runs the timed runs, in order
 * @param report the last timed run's evaluation report (equal in every figure to the others: the
 *     job is deterministic; only its timings differ)
 * @param panoptic PQ / SQ / RQ of the model's labels against the dataset's Cityscapes-panoptic
 *     ground truth, or {@code null} when the model is not panoptic or the dataset has none
 */
public record PairSummary(
    String model,
    String dataset,
    Map<String, Object> modelFacts,
    List<PairRun> runs,
    SemanticReport report,
    PanopticReport panoptic) {

  /** Mean of a figure over the runs. */
  public double mean(java.util.function.ToDoubleFunction<PairRun> figure) {
    return runs.stream().mapToDouble(figure).average().orElse(Double.NaN);
  }

  /** Sample standard deviation of a figure over the runs (0 for one run). */
  public double std(java.util.function.ToDoubleFunction<PairRun> figure) {
    if (runs.size() < 2) {
      return 0;
    }
    double m = mean(figure);
    double s = 0;
    for (PairRun r : runs) {
      double d = figure.applyAsDouble(r) - m;
      s += d * d;
    }
    return Math.sqrt(s / (runs.size() - 1));
  }
}

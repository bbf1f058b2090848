package dev.segspark.evaluation.report;

import dev.segspark.evaluation.metrics.ConfusionMatrix;
import dev.segspark.evaluation.metrics.SemanticScores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished semantic evaluation, as written to {@code report.json}.
 *
 * @param dataset what was evaluated
 * @param scores every score, derived from {@code matrix}
 * @param matrixLabels the id of each matrix row/column (annotation ids or trainIds)
 * @param matrix the summed confusion matrix
 * @param errors images skipped under {@code --on-error skip}, sorted by image
 * @param run timings and run facts (seconds, imagesPerSecond, partitions, ...), in insertion order
 */
public record SemanticReport(
    DatasetInfo dataset,
    SemanticScores scores,
    int[] matrixLabels,
    ConfusionMatrix matrix,
    List<ImageError> errors,
    Map<String, Object> run) {
  public SemanticReport {
    errors = List.copyOf(errors);
    run = new LinkedHashMap<>(run);
  }
}

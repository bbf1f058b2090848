package dev.segspark.evaluation.report;

import dev.segspark.evaluation.panoptic.PqResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished panoptic evaluation, as written to {@code report.json}.
 *
 * @param dataset what was evaluated
 * @param result PQ / SQ / RQ for All, Things, Stuff and per category
 * @param semantic semantic scores over categories from the same pair ({@code --semantic}), or null
 * @param errors images skipped under {@code --on-error skip}, sorted
 * @param run timings and run facts
 */
public record PanopticReport(
    DatasetInfo dataset,
    PqResult result,
    SemanticReport semantic,
    List<ImageError> errors,
    Map<String, Object> run) {
  public PanopticReport {
    errors = List.copyOf(errors);
    run = new LinkedHashMap<>(run);
  }
}

package dev.segspark.evaluation.report;

import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.ConfusionMatrix;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.SemanticScores;
import java.util.ArrayList;
import java.util.HashMap;
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

  /**
   * The name of each matrix row and column, in the order of {@link #matrixLabels}: the evaluated
   * class with that id (annotation id under {@code cityscapes}, train id under the others), else
   * {@code "id <n>"} (labels the convention does not evaluate, such as Cityscapes' void ids).
   *
   * @return one name per matrix label
   */
  public List<String> matrixNames() {
    boolean byId = scores.convention() == Convention.CITYSCAPES;
    Map<Integer, String> names = new HashMap<>();
    for (ClassScores c : scores.classes()) {
      names.putIfAbsent(byId ? c.id() : c.trainId(), c.name());
    }
    List<String> out = new ArrayList<>(matrixLabels.length);
    for (int id : matrixLabels) {
      out.add(names.getOrDefault(id, "id " + id));
    }
    return out;
  }
}

package dev.segspark.evaluation.metrics;

import java.util.List;

/**
 * Every score of a semantic evaluation, derived once from the summed statistics.
 *
 * @param convention the reference tool reproduced
 * @param summary dataset-level scores
 * @param classes per evaluated class, in table order
 * @param categories per category (empty unless the convention defines them)
 */
public record SemanticScores(
    Convention convention,
    Summary summary,
    List<ClassScores> classes,
    List<CategoryScores> categories) {
  public SemanticScores {
    classes = List.copyOf(classes);
    categories = List.copyOf(categories);
  }
}

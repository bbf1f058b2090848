package dev.segspark.evaluation.metrics;

import java.util.Locale;

/**
 * Tells a prediction set whose values do not fit the declared {@link PredictionIds}. Read as the
 * wrong kind, Cityscapes train ids are mostly void label ids (road = 0 = "unlabeled") and label ids
 * mostly other train ids, so the scores come out near zero without any error. While counting, each
 * pixel is also read as the other kind ({@link ConfusionMatrix#swappedCorrect()}): when that
 * reading gets more than twice as many scored pixels right as the declared one, and at least {@link
 * #MIN_SWAPPED_SHARE} of them, the evaluation stops and names {@code --prediction-ids}. A real
 * prediction set of the declared kind never comes near: whatever it gets right under the declared
 * reading, the other reading gets right only by chance.
 */
public final class PredictionIdCheck {
  /** The share of scored pixels the other reading must get right before the check speaks. */
  public static final double MIN_SWAPPED_SHARE = 0.2;

  private PredictionIdCheck() {}

  /**
   * The message for a summed matrix whose predictions fit the other kind far better than the
   * declared one, else null.
   *
   * @param space the space the matrix was counted in
   * @param m the summed confusion matrix
   */
  public static String mismatch(EvalSpace space, ConfusionMatrix m) {
    boolean[] evaluated = space.evaluatedRows();
    long scored = 0;
    long correct = 0;
    for (int r = 0; r < m.size(); r++) {
      if (evaluated[r]) {
        scored += m.rowSum(r);
        correct += m.get(r, r);
      }
    }
    long swapped = m.swappedCorrect();
    if (scored == 0 || swapped <= 2 * correct || swapped < MIN_SWAPPED_SHARE * scored) {
      return null;
    }
    PredictionIds declared = space.predictionIds();
    return String.format(
        Locale.ROOT,
        "Cannot evaluate: the predictions do not hold what --prediction-ids %s declares: read as"
            + " %s they get %.1f%% of the evaluated pixels right, read as %s %.1f%%; pass"
            + " --prediction-ids %s",
        declared.id(),
        kind(declared),
        100.0 * correct / scored,
        kind(declared.other()),
        100.0 * swapped / scored,
        declared.other().id());
  }

  /** How predicted values are being read, for error messages about single values. */
  public static String hint(PredictionIds declared) {
    return "predictions are read as --prediction-ids "
        + declared.id()
        + "; pass --prediction-ids "
        + declared.other().id()
        + " if they hold "
        + kind(declared.other());
  }

  private static String kind(PredictionIds ids) {
    return ids == PredictionIds.TRAIN_IDS ? "train ids" : "label ids";
  }
}

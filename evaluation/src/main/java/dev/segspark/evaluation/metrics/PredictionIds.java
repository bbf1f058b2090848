package dev.segspark.evaluation.metrics;

import java.util.Locale;

/** What the values of a prediction map mean. */
public enum PredictionIds {
  /** Annotation ids, as in ground-truth files (cityscapesScripts' expected submission format). */
  LABEL_IDS,
  /** Training ids {@code 0..K-1} (what a model's argmax produces). */
  TRAIN_IDS;

  /** The command-line name: {@code labelIds} or {@code trainIds}. */
  public String id() {
    return this == LABEL_IDS ? "labelIds" : "trainIds";
  }

  /** The other kind. */
  public PredictionIds other() {
    return this == LABEL_IDS ? TRAIN_IDS : LABEL_IDS;
  }

  /** Parses {@code labelIds} / {@code trainIds}. */
  public static PredictionIds parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "labelids", "label_ids", "ids" -> LABEL_IDS;
      case "trainids", "train_ids" -> TRAIN_IDS;
      default ->
          throw new IllegalArgumentException(
              "Cannot use prediction ids: unknown kind (" + name + "); expected labelIds|trainIds");
    };
  }
}

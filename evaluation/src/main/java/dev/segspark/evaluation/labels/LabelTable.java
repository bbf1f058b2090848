package dev.segspark.evaluation.labels;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A dataset's label table: the single source of truth from which every id, trainId, name, colour,
 * category and ignore map is derived (once, here).
 *
 * <p>Annotation files store {@link Label#id()}; models predict {@link Label#trainId()} in {@code
 * [0, numClasses())}. A trainId equal to {@link #ignoreIndex()} (or {@code -1}) marks pixels that
 * are not evaluated by the trainId conventions. Where several labels share a trainId, the first one
 * in table order names it and is the id it converts back to (as cityscapesScripts' {@code
 * trainId2label} does).
 */
public final class LabelTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int ignoreIndex;
  private final List<Label> labels;
  private final LinkedHashMap<String, Double> averageInstanceSize;
  // derived lookups are rebuilt on deserialisation (readResolve) instead of being shipped
  private final transient Label[] byId = new Label[65536];
  private final transient Label[] byTrainId;
  private final int numClasses;

  public LabelTable(
      String name, int ignoreIndex, List<Label> labels, Map<String, Double> averageInstanceSize) {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("Cannot create label table '" + name + "': no labels");
    }
    this.name = name;
    this.ignoreIndex = ignoreIndex;
    this.labels = List.copyOf(labels);
    this.averageInstanceSize = new LinkedHashMap<>(averageInstanceSize);
    int maxTrainId = -1;
    for (Label label : labels) {
      indexById(label);
      if (isTrainClass(label.trainId())) {
        maxTrainId = Math.max(maxTrainId, label.trainId());
      }
    }
    this.numClasses = maxTrainId + 1;
    this.byTrainId = new Label[numClasses];
    for (Label label : labels) {
      if (isTrainClass(label.trainId()) && byTrainId[label.trainId()] == null) {
        byTrainId[label.trainId()] = label;
      }
    }
    for (int t = 0; t < numClasses; t++) {
      if (byTrainId[t] == null) {
        throw new IllegalArgumentException(
            "Cannot create label table '"
                + name
                + "': trainIds are not contiguous (missing "
                + t
                + ")");
      }
    }
  }

  private void indexById(Label label) {
    if (label.id() < 0) {
      return;
    }
    if (byId[label.id()] != null) {
      throw new IllegalArgumentException(
          "Cannot create label table '" + name + "': duplicate id (" + label.id() + ")");
    }
    byId[label.id()] = label;
  }

  private boolean isTrainClass(int trainId) {
    return trainId >= 0 && trainId != ignoreIndex;
  }

  /** Table name (e.g. {@code cityscapes}). */
  public String name() {
    return name;
  }

  /** The trainId value meaning "not evaluated" (255 for the built-in tables). */
  public int ignoreIndex() {
    return ignoreIndex;
  }

  /** All labels in table order. */
  public List<Label> labels() {
    return labels;
  }

  /** Number of training classes K: trainIds are {@code 0..K-1}. */
  public int numClasses() {
    return numClasses;
  }

  /** The label annotated with {@code id}, or {@code null}. */
  public Label byId(int id) {
    return id >= 0 && id < byId.length ? byId[id] : null;
  }

  /** The (first) label with {@code trainId}, or {@code null} for ignore / out of range. */
  public Label byTrainId(int trainId) {
    return trainId >= 0 && trainId < numClasses ? byTrainId[trainId] : null;
  }

  /** Average instance size in pixels for iIoU weighting, or {@code null} if not published. */
  public Double averageInstanceSize(String labelName) {
    return averageInstanceSize.get(labelName);
  }

  /** The ids that appear in annotations ({@code id >= 0}), ascending. */
  public int[] annotatedIds() {
    return labels.stream().mapToInt(Label::id).filter(id -> id >= 0).sorted().toArray();
  }

  /** Distinct non-empty category names in table order. */
  public List<String> categories() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (Label label : labels) {
      if (!label.category().isEmpty()) {
        names.add(label.category());
      }
    }
    return new ArrayList<>(names);
  }

  /** Labels of one category in table order. */
  public List<Label> labelsOf(String category) {
    return labels.stream().filter(l -> l.category().equals(category)).toList();
  }

  /**
   * The id → trainId lookup for every 16-bit value: the trainId, or {@link #ignoreIndex()} for ids
   * whose trainId is ignored, or {@code -1} for values that are not in the table.
   */
  public int[] idToTrainId() {
    int[] lut = new int[65536];
    Arrays.fill(lut, -1);
    for (Label label : labels) {
      if (label.id() >= 0) {
        lut[label.id()] = isTrainClass(label.trainId()) ? label.trainId() : ignoreIndex;
      }
    }
    return lut;
  }

  private Object readResolve() {
    return new LabelTable(name, ignoreIndex, labels, averageInstanceSize);
  }

  @Override
  public String toString() {
    return "LabelTable[" + name + ", " + labels.size() + " labels, " + numClasses + " classes]";
  }
}

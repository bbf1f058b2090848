package dev.segspark.evaluation.metrics;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.util.Arrays;

/**
 * Measures ground-truth instances against a prediction, as cityscapesScripts does for iIoU: every
 * instance id above 1000 is an instance of class {@code id / 1000}; instances of classes ignored in
 * evaluation are skipped. Not thread safe; reuse one per task.
 */
public final class InstanceCounter {
  private final LabelTable table;
  private final int[] predToId;
  private final int[] categoryOfId;
  private final int[] size = new int[65536];
  private final int[] tp = new int[65536];
  private final int[] categoryTp = new int[65536];

  public InstanceCounter(EvalSpace space) {
    this.table = space.table();
    this.predToId = space.predToAnnotationId();
    this.categoryOfId = instanceCategories(table);
  }

  /**
   * Index of each annotation id's category when every annotated label of that category has
   * instances (cityscapesScripts' instance categories), else -1.
   */
  static int[] instanceCategories(LabelTable table) {
    int[] category = new int[65536];
    Arrays.fill(category, -1);
    var categories = table.categories();
    for (int c = 0; c < categories.size(); c++) {
      var members = table.labelsOf(categories.get(c)).stream().filter(l -> l.id() >= 0).toList();
      if (!members.isEmpty() && members.stream().allMatch(Label::hasInstances)) {
        for (Label label : members) {
          category[label.id()] = c;
        }
      }
    }
    return category;
  }

  /** Counts the instances of one image. */
  public InstanceCounts count(LabelMap instances, LabelMap pred, String source) {
    if (instances.width() != pred.width() || instances.height() != pred.height()) {
      throw new InvalidInputException(
          source,
          "Cannot compare "
              + source
              + ": instance map is "
              + instances.width()
              + "x"
              + instances.height()
              + " but the prediction is "
              + pred.width()
              + "x"
              + pred.height());
    }
    int[] touchedIds = new int[64];
    int touchedCount = 0;
    int n = instances.size();
    short[] inst16 = instances.shorts();
    byte[] pred8 = pred.bytes();
    for (int i = 0; i < n; i++) {
      int inst = inst16 != null ? inst16[i] & 0xFFFF : instances.get(i);
      if (inst <= 1000) {
        continue;
      }
      if (size[inst]++ == 0) {
        if (touchedCount == touchedIds.length) {
          touchedIds = Arrays.copyOf(touchedIds, touchedCount * 2);
        }
        touchedIds[touchedCount++] = inst;
      }
      int predicted = predToId[pred8 != null ? pred8[i] & 0xFF : pred.get(i)];
      int labelId = inst / 1000;
      if (predicted == labelId) {
        tp[inst]++;
      }
      if (predicted >= 0
          && categoryOfId[predicted] >= 0
          && categoryOfId[predicted] == categoryOfId[labelId]) {
        categoryTp[inst]++;
      }
    }
    return drain(touchedIds, touchedCount, source);
  }

  private InstanceCounts drain(int[] ids, int n, String source) {
    Arrays.sort(ids, 0, n);
    int[] labels = new int[n];
    int[] sizes = new int[n];
    int[] tps = new int[n];
    int[] catTps = new int[n];
    int kept = 0;
    InvalidInputException error = null;
    for (int i = 0; i < n; i++) {
      int inst = ids[i];
      Label label = table.byId(inst / 1000);
      if (label == null && error == null) {
        error =
            new InvalidInputException(
                source,
                "Cannot evaluate "
                    + source
                    + ": instance id "
                    + inst
                    + " has class id "
                    + inst / 1000
                    + ", which is not in the '"
                    + table.name()
                    + "' label table");
      }
      if (label != null && !label.ignoreInEval()) {
        labels[kept] = label.id();
        sizes[kept] = size[inst];
        tps[kept] = tp[inst];
        catTps[kept] = categoryTp[inst];
        kept++;
      }
      size[inst] = 0;
      tp[inst] = 0;
      categoryTp[inst] = 0;
    }
    if (error != null) {
      throw error;
    }
    return new InstanceCounts(
        Arrays.copyOf(labels, kept),
        Arrays.copyOf(sizes, kept),
        Arrays.copyOf(tps, kept),
        Arrays.copyOf(catTps, kept));
  }
}

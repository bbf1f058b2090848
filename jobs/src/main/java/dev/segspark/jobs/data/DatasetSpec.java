package dev.segspark.jobs.data;

import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.udfs.io.fs.FsPaths;
import java.nio.file.Path;

/**
 * A dataset to evaluate: its label table, layout, root folder and split. Its folders are checked by
 * {@link SampleLister#checkFolders} (which an evaluation's {@code checkPaths()} runs before any
 * Spark work).
 *
 * @param name dataset name as given ({@code cityscapes}, {@code ade20k}, {@code voc} or a YAML
 *     path)
 * @param table the label table
 * @param layout the file layout
 * @param root the data root
 * @param split the split folder / list name
 */
public record DatasetSpec(String name, LabelTable table, Layout layout, Path root, String split) {
  public DatasetSpec {
    if (table == null || layout == null || root == null || split == null) {
      throw new IllegalArgumentException(
          "Cannot use dataset: table, layout, root and split are required (" + name + ")");
    }
  }

  /** Resolves a dataset name (built-in or YAML path) with its default split. */
  public static DatasetSpec of(String dataset, Path root, String split) {
    LabelTable table = LabelTables.resolve(dataset, FsPaths::of);
    Layout layout = Layout.forDataset(dataset);
    return new DatasetSpec(
        table.name(), table, layout, root, split == null ? layout.defaultSplit() : split);
  }
}

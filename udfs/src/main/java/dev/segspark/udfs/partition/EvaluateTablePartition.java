package dev.segspark.udfs.partition;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.InstanceCounter;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.udfs.io.SampleFiles;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates the rows of a partition of a table: each row holds an image key, its ground truth and
 * its prediction (and optionally its instance map), each as label-map PNG bytes or as a path / URI
 * to read. The counting is {@link EvaluatePartition}'s, so a table gives the numbers the same files
 * give through {@code evaluate --predictions}.
 */
public final class EvaluateTablePartition implements FlatMapFunction<Iterator<Row>, ImageResult> {
  private static final long serialVersionUID = 1L;

  /**
   * Where a row's cells are (column indices of the rows given; -1: absent) and what they hold.
   *
   * @param key the image key (string)
   * @param groundTruth the ground truth
   * @param groundTruthIsPath whether it holds paths (else PNG bytes)
   * @param prediction the prediction
   * @param predictionIsPath whether it holds paths
   * @param instances the instance map, or -1
   * @param instancesIsPath whether it holds paths
   */
  public record Columns(
      int key,
      int groundTruth,
      boolean groundTruthIsPath,
      int prediction,
      boolean predictionIsPath,
      int instances,
      boolean instancesIsPath)
      implements Serializable {}

  private final Columns columns;
  private final EvalSpace space;
  private final boolean withInstances;
  private final long maxPixels;
  private final LongAccumulator progress;

  /**
   * @param space the matrix space (convention, table, prediction ids)
   * @param withInstances whether to count instances for iIoU
   * @param maxPixels larger label maps are rejected
   * @param progress incremented per row, for the driver's progress line (may be null)
   */
  public EvaluateTablePartition(
      Columns columns,
      EvalSpace space,
      boolean withInstances,
      long maxPixels,
      LongAccumulator progress) {
    this.columns = columns;
    this.space = space;
    this.withInstances = withInstances;
    this.maxPixels = maxPixels;
    this.progress = progress;
  }

  @Override
  public Iterator<ImageResult> call(Iterator<Row> rows) {
    PairCounter pairs = new PairCounter(space);
    InstanceCounter instances = withInstances ? new InstanceCounter(space) : null;
    List<ImageResult> results = new ArrayList<>();
    while (rows.hasNext()) {
      results.add(evaluate(rows.next(), pairs, instances));
      if (progress != null) {
        progress.add(1);
      }
    }
    return results.iterator();
  }

  private ImageResult evaluate(Row row, PairCounter pairs, InstanceCounter instances) {
    String id = String.valueOf(row.get(columns.key()));
    Object gt = row.get(columns.groundTruth());
    Object pred = row.get(columns.prediction());
    Object inst = columns.instances() < 0 ? null : row.get(columns.instances());
    Sample sample =
        new Sample(
            id,
            name(id, gt, columns.groundTruthIsPath(), "ground truth"),
            inst == null ? null : name(id, inst, columns.instancesIsPath(), "instances"),
            pred == null ? null : name(id, pred, columns.predictionIsPath(), "prediction"));
    if (gt == null) {
      return ImageResult.failed(
          sample, "Cannot evaluate " + id + ": no ground truth (null in the table)", 0);
    }
    if (withInstances && inst == null) {
      // iIoU sums instances over the dataset: a row without its map would change it silently
      return ImageResult.failed(
          sample, "Cannot evaluate " + id + ": no instance map (null in the table)", 0);
    }
    return EvaluatePartition.evaluate(
        sample,
        reader(gt, columns.groundTruthIsPath(), sample.groundTruth()),
        reader(pred, columns.predictionIsPath(), sample.prediction()),
        inst == null ? null : reader(inst, columns.instancesIsPath(), sample.instances()),
        pairs,
        instances);
  }

  /** How errors and per_image.parquet name a cell: its path, else the key and the column's role. */
  private static String name(String id, Object cell, boolean isPath, String role) {
    return isPath ? cell.toString() : id + " (" + role + " bytes)";
  }

  private Supplier<LabelMap> reader(Object cell, boolean isPath, String name) {
    if (!isPath) {
      return () -> SampleFiles.labelMap((byte[]) cell, name, maxPixels);
    }
    return () -> SampleFiles.labelMap(SampleFiles.read(name), name, maxPixels);
  }
}

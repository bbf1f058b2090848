package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIdCheck;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.evaluation.report.WorstImage;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.ImageResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second half of a semantic evaluation, whatever listed the samples (a dataset's folders for
 * {@link EvaluateAction}, a table's rows for {@link EvaluateTableAction}): tree-aggregate the
 * per-image counts, apply the error policy, check the invariants, derive the scores on the driver
 * and write the report set into the staging folder.
 *
 * @param dataset the dataset (name, root and split as the report shows them)
 * @param space the matrix space
 * @param withInstances whether instance counts make iIoU
 * @param listed errors found before any task ran (missing files, ...)
 * @param samples the samples the tasks evaluate
 * @param images the images the run covers (the denominator of the all-failed rule)
 * @param partitions the Spark partitions
 * @param predictions what the predictions are, for a prediction-ids mismatch error
 * @param model the model that predicted, or {@code null}
 */
record SemanticRun(
    DatasetSpec dataset,
    EvalSpace space,
    boolean withInstances,
    List<ImageError> listed,
    int samples,
    int images,
    int partitions,
    String predictions,
    ModelSpec model) {

  /** Images shown in report.html: the lowest per-image mIoU, as in per_image.parquet. */
  static final int WORST_SHOWN = 10;

  /**
   * Aggregates {@code results}, writes the reports into {@code staging}, and returns them. One pass
   * over the images (one Spark job) yields the aggregate, the per-image rows and the worst images;
   * above {@link JobSupport#COLLECT_LIMIT} images on Spark, the rows stream in a second pass over
   * the persisted results instead.
   */
  EvaluateResult finish(
      BaseAction<?, ?, ?> action, Partitions<ImageResult> results, Path staging, Path out) {
    try (results) {
      EvalSpace space = this.space;
      boolean keepRows = results.collectsRows(samples);
      int image = PerImageRow.SCHEMA.indexOf("image");
      int miou = PerImageRow.SCHEMA.indexOf("meanIoU");
      int acc = PerImageRow.SCHEMA.indexOf("pixelAccuracy");
      int error = PerImageRow.SCHEMA.indexOf("error");
      List<Partitions.Summary<EvalAggregate>> parts;
      try (ProgressLine line = action.progress(samples)) {
        parts =
            results.summarise(
                Partitions.summary(
                    EvalAggregate::new,
                    space.size(),
                    EvalAggregate::add,
                    r -> PerImageRow.of(r, space),
                    keepRows,
                    row ->
                        row.isNullAt(error) && !row.isNullAt(miou)
                            ? new Partitions.Ranked(
                                row.getString(image), row.getDouble(miou), (Double) row.get(acc))
                            : null,
                    WORST_SHOWN));
      }
      EvalAggregate total = new EvalAggregate(space.size());
      List<Partitions.Ranked> lowest = new ArrayList<>();
      for (Partitions.Summary<EvalAggregate> part : parts) {
        EvalAggregate.merge(total, part.aggregate());
        lowest.addAll(part.lowest());
      }
      List<ImageError> errors = action.sortedOrFail(concat(listed, total.errors), images);
      checkInvariant(total);
      String kind = PredictionIdCheck.mismatch(space, total.matrix);
      if (kind != null) {
        throw new InvalidInputException(predictions, kind);
      }
      results.writePerImage(
          parts, keepRows, r -> PerImageRow.of(r, space), PerImageRow.SCHEMA, staging);
      SemanticScores scores =
          SemanticMetrics.compute(space, total.matrix, withInstances ? total.instances : null);
      SemanticReport report = report(action, scores, total, errors);
      List<WorstImage> worst =
          Partitions.Ranked.lowest(lowest, WORST_SHOWN).stream()
              .map(k -> new WorstImage(k.image(), k.score(), k.other()))
              .toList();
      ReportFiles.write(report, worst, staging);
      return new EvaluateResult(report, out);
    }
  }

  static List<ImageError> concat(List<ImageError> a, List<ImageError> b) {
    List<ImageError> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void checkInvariant(EvalAggregate total) {
    long counted = total.matrix.total() + total.matrix.ignored();
    if (counted != total.pixels) {
      throw new IllegalStateException(
          "Confusion matrix holds " + counted + " pixels but " + total.pixels + " were read");
    }
  }

  private SemanticReport report(
      BaseAction<?, ?, ?> action,
      SemanticScores scores,
      EvalAggregate total,
      List<ImageError> errors) {
    Map<String, Object> run =
        JobSupport.runFacts(
            action.runner(),
            action.startNanos(),
            total.images,
            errors.size(),
            partitions,
            total.decodeNanos,
            total.metricsNanos);
    run.put("pixels", total.pixels);
    run.put("predictionIds", space.predictionIds().name());
    if (model != null) {
      JobSupport.putModelFacts(run, model, total.modelTimes, total.images);
    }
    DatasetInfo info =
        new DatasetInfo(
            dataset.name(),
            dataset.root().toAbsolutePath().toString(),
            dataset.split(),
            total.images);
    return new SemanticReport(info, scores, space.indexIds(), total.matrix, errors, run);
  }
}

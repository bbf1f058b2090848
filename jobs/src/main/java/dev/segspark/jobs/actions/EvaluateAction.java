package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.jobs.data.SampleListing;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.EvaluateModelPartition;
import dev.segspark.udfs.partition.EvaluatePartition;
import dev.segspark.udfs.partition.ImageResult;
import dev.segspark.udfs.partition.Sample;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates predictions on disk: lists samples on the driver, counts per image on executors,
 * tree-aggregates the counts, derives the scores on the driver and writes the reports.
 */
public final class EvaluateAction extends BaseAction<EvaluateAction, EvalSpec, EvaluateResult> {
  /** Per-image Parquet output (a Spark folder). */
  public static final String PER_IMAGE = ReportFiles.PER_IMAGE;

  EvaluateAction(Runner runner, EvalSpec spec) {
    super(runner, spec, "evaluate", spec.onError());
  }

  /** The dataset's root and the predictions folder, or the model's name. */
  @Override
  String subject() {
    return spec.dataset().root()
        + " "
        + (spec.model() == null ? spec.predictions() : spec.model().name());
  }

  /**
   * Runs the evaluation and writes the reports into {@code spec.out()}, as a unit (see {@link
   * ReportFiles}): the previous report set there is removed first, so a run that fails leaves none.
   */
  @Override
  EvaluateResult run() {
    spec.checkPaths(); // a typo in a path must not remove the previous report
    return committed(ReportFiles.open(spec.out()), this::evaluate);
  }

  private EvaluateResult evaluate(Path staging) {
    ModelSpec model = spec.model();
    SampleListing listing =
        model == null
            ? SampleLister.list(spec.dataset(), spec.predictions())
            : SampleLister.listImages(spec.dataset());
    List<Sample> samples = listing.samples();
    boolean withInstances =
        spec.convention() == Convention.CITYSCAPES
            && samples.stream().anyMatch(s -> s.instances() != null);
    // iIoU sums instances over the dataset: an image without its instance map would change it
    // silently, so it is an error of that image (its other figures are left out too)
    List<ImageError> noInstances =
        withInstances ? missingInstances(samples) : List.<ImageError>of();
    if (!noInstances.isEmpty()) {
      samples = samples.stream().filter(s -> s.instances() != null).toList();
    }
    List<ImageError> listed = concat(listing.errors(), noInstances);
    failOnMissing(concat(listed, missingPredictions(samples, model != null)));
    ModelCheck check =
        model == null
            ? null
            : ModelCheck.start(model, spec.dataset().table(), spec.dataset().name());
    EvalSpace space = EvalSpace.of(spec.convention(), spec.dataset().table(), spec.predictionIds());
    List<List<Sample>> batches =
        model == null ? List.of() : JobSupport.batches(samples, model.batchSize());
    int partitions =
        model == null
            ? partitions(spec.partitions(), samples.size())
            : modelPartitions(spec.partitions(), batches.size());
    Partitions<ImageResult> results;
    if (model == null && inProcess(samples.size())) {
      results =
          Partitions.inProcess(
              runner(),
              samples,
              partitions,
              new EvaluatePartition(space, withInstances, spec.maxPixels(), images()));
    } else {
      JavaSparkContext jsc = jsc();
      if (check != null) {
        // the session started while the model was checked
        check.await();
      }
      LongAccumulator done = images();
      results =
          Partitions.of(
              model == null
                  ? jsc.parallelize(samples, partitions)
                      .mapPartitions(
                          new EvaluatePartition(space, withInstances, spec.maxPixels(), done))
                  : jsc.parallelize(batches, partitions)
                      .mapPartitions(
                          new EvaluateModelPartition(
                              model, space, withInstances, spec.maxPixels(), done)));
    }
    SemanticRun run =
        new SemanticRun(
            spec.dataset(),
            space,
            withInstances,
            listed,
            samples.size(),
            listing.ids(),
            partitions,
            model == null ? spec.predictions().toString() : model.model(),
            model);
    return run.finish(this, results, staging, spec.out());
  }

  /**
   * Whether this run's {@code samples} run on the in-process runner's threads: local files, few
   * enough for the driver to hold their rows; anything else starts the Spark session.
   */
  private boolean inProcess(int samples) {
    return !runner().onSpark()
        && samples <= JobSupport.COLLECT_LIMIT
        && !FsPaths.isHadoop(spec.dataset().root())
        && !FsPaths.isHadoop(spec.predictions());
  }

  private static List<ImageError> concat(List<ImageError> a, List<ImageError> b) {
    return SemanticRun.concat(a, b);
  }

  private static List<ImageError> missingPredictions(List<Sample> samples, boolean images) {
    return samples.stream()
        .filter(s -> s.prediction() == null)
        .map(
            s ->
                new ImageError(
                    s.id(),
                    images
                        ? EvaluateModelPartition.missingImage(s)
                        : EvaluatePartition.missingPrediction(s)))
        .toList();
  }

  private static List<ImageError> missingInstances(List<Sample> samples) {
    return samples.stream()
        .filter(s -> s.instances() == null)
        .map(s -> new ImageError(s.id(), SampleLister.missingInstances(s)))
        .toList();
  }
}

package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.ConfusionMatrix;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.panoptic.CocoPanopticJson;
import dev.segspark.evaluation.panoptic.PanopticCategories;
import dev.segspark.evaluation.panoptic.PanopticCategory;
import dev.segspark.evaluation.panoptic.PqResult;
import dev.segspark.evaluation.panoptic.PqStats;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.evaluation.report.PanopticReportWriter;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.partition.PanopticPartition;
import dev.segspark.udfs.partition.PanopticResult;
import dev.segspark.udfs.partition.PanopticSample;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Panoptic quality at Spark scale, as panopticapi's {@code pq_compute}: samples paired by image id
 * on the driver, matched per image on executors, per-category statistics merged exactly, PQ / SQ /
 * RQ derived once on the driver.
 */
public final class EvaluatePanopticAction
    extends BaseAction<EvaluatePanopticAction, PanopticSpec, PanopticReport> {
  EvaluatePanopticAction(Runner runner, PanopticSpec spec) {
    super(runner, spec, "evaluate-panoptic", spec.onError());
  }

  /** The ground-truth and prediction JSON files. */
  @Override
  String subject() {
    return spec.gtJson() + " " + spec.predJson();
  }

  /**
   * Runs the evaluation and writes the reports into {@code spec.out()}, as a unit (see {@link
   * ReportFiles}): the previous report set there is removed first, so a run that fails leaves none.
   */
  @Override
  PanopticReport run() {
    spec.checkPaths();
    return committed(ReportFiles.open(spec.out()), this::evaluate);
  }

  private PanopticReport evaluate(Path staging) {
    // the two JSON files are parsed at once, the prediction's on a pool thread (a tenth of a
    // second each for COCO-sized sets, on the path before any image is read)
    CompletableFuture<CocoPanopticJson> predicted =
        CompletableFuture.supplyAsync(() -> readJson(spec.predJson()));
    CocoPanopticJson gt;
    try {
      gt = readJson(spec.gtJson());
    } catch (RuntimeException e) {
      predicted.cancel(false);
      throw e;
    }
    CocoPanopticJson pred = JobSupport.value(predicted, "reading " + spec.predJson());
    PanopticCategories categories =
        gt.categories()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        spec.gtJson().toString(),
                        "Cannot evaluate: the ground-truth JSON lists no categories ("
                            + spec.gtJson()
                            + ")"));
    List<PanopticSample> samples = samples(gt, pred);
    EvalSpace space = spec.semantic() ? semanticSpace(categories) : null;
    int partitions = partitions(spec.partitions(), samples.size());
    PanopticPartition work = new PanopticPartition(categories, space, spec.maxPixels(), images());
    boolean inProcess =
        !runner().onSpark()
            && samples.size() <= JobSupport.COLLECT_LIMIT
            && !FsPaths.isHadoop(spec.gtDir())
            && !FsPaths.isHadoop(spec.predDir());
    try (Partitions<PanopticResult> results =
        inProcess
            ? Partitions.inProcess(runner(), samples, partitions, work)
            : Partitions.of(jsc().parallelize(samples, partitions).mapPartitions(work))) {
      boolean keepRows = results.collectsRows(samples.size());
      List<Partitions.Summary<Aggregate>> parts;
      try (ProgressLine line = progress(samples.size())) {
        parts =
            results.summarise(
                Partitions.summary(
                    Aggregate::new,
                    space == null ? 1 : space.size(),
                    Aggregate::add,
                    PanopticPerImageRow::of,
                    keepRows,
                    null,
                    0));
      }
      Aggregate total = new Aggregate(space == null ? 1 : space.size());
      parts.forEach(p -> Aggregate.merge(total, p.aggregate()));
      List<ImageError> errors = sortedOrFail(total.errors, samples.size());
      results.writePerImage(
          parts, keepRows, PanopticPerImageRow::of, PanopticPerImageRow.SCHEMA, staging);
      PanopticReport report = report(total, errors, categories, space, partitions);
      PanopticReportWriter.write(report, staging);
      return report;
    }
  }

  /** A COCO panoptic JSON; content that is not valid COCO panoptic is bad data (exit 1). */
  private static CocoPanopticJson readJson(Path file) {
    try {
      return CocoPanopticJson.read(file);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file.toString(), e.getMessage(), e);
    }
  }

  /**
   * One sample per ground-truth image id. What the JSON files alone show to be wrong with an image
   * (no prediction, two annotations for it, a segment id listed twice) travels with its sample as
   * the error, so {@code --on-error skip} records it like any other image error.
   */
  private List<PanopticSample> samples(CocoPanopticJson gt, CocoPanopticJson pred) {
    if (gt.annotations().isEmpty()) {
      throw new InvalidInputException(
          spec.gtJson().toString(),
          "Cannot evaluate: no annotations in the ground-truth JSON (" + spec.gtJson() + ")");
    }
    Map<String, CocoPanopticJson.Annotation> predictions = pred.annotationsByImageId();
    Map<String, Integer> gtTwice = gt.duplicateImageIds();
    Map<String, Integer> predTwice = pred.duplicateImageIds();
    List<PanopticSample> samples = new ArrayList<>();
    List<ImageError> found = new ArrayList<>();
    for (CocoPanopticJson.Annotation a : gt.annotationsByImageId().values()) {
      CocoPanopticJson.Annotation p = predictions.get(a.imageId());
      String gtPath = spec.gtDir().resolve(a.fileName()).toString();
      String error =
          jsonError(a, gtTwice, spec.gtJson(), "ground-truth")
              .or(
                  () ->
                      p == null
                          ? Optional.of(
                              PanopticPartition.missingPrediction(
                                  a.imageId(), a.fileName(), gtPath))
                          : jsonError(p, predTwice, spec.predJson(), "prediction"))
              .orElse(null);
      samples.add(
          new PanopticSample(
              a.imageId(),
              a.fileName(),
              gtPath,
              p == null ? null : spec.predDir().resolve(p.fileName()).toString(),
              a.segments(),
              p == null ? List.of() : p.segments(),
              error));
      if (error != null) {
        found.add(new ImageError(a.fileName(), error));
      }
    }
    failOnMissing(found);
    return samples;
  }

  /** Two annotations for the image, or a segment id its annotation lists twice. */
  private static Optional<String> jsonError(
      CocoPanopticJson.Annotation a, Map<String, Integer> twice, Path file, String side) {
    Integer count = twice.get(a.imageId());
    if (count != null) {
      return Optional.of(
          "Cannot evaluate image "
              + a.imageId()
              + ": the "
              + side
              + " JSON has "
              + count
              + " annotations for it ("
              + file
              + ")");
    }
    List<Integer> repeated = a.duplicateSegmentIds();
    if (!repeated.isEmpty()) {
      return Optional.of(
          "Cannot evaluate image "
              + a.imageId()
              + ": the "
              + side
              + " JSON lists segment id "
              + repeated.get(0)
              + " twice in its segments_info ("
              + file
              + ")");
    }
    return Optional.empty();
  }

  /** Categories as a label table: index = trainId; VOID (65535 after painting) is ignored. */
  private static EvalSpace semanticSpace(PanopticCategories categories) {
    List<String> names = categories.list().stream().map(PanopticCategory::name).toList();
    LabelTable table = LabelTables.ofClasses("panoptic-categories", 65535, names);
    return EvalSpace.of(Convention.MMSEG, table, PredictionIds.TRAIN_IDS);
  }

  private PanopticReport report(
      Aggregate total,
      List<ImageError> errors,
      PanopticCategories categories,
      EvalSpace space,
      int partitions) {
    Map<String, Object> run =
        JobSupport.runFacts(
            runner(),
            startNanos(),
            total.images,
            errors.size(),
            partitions,
            total.decodeNanos,
            total.metricsNanos);
    DatasetInfo dataset =
        new DatasetInfo(
            "coco-panoptic", spec.gtDir().toAbsolutePath().toString(), "", total.images);
    SemanticReport semantic =
        space == null
            ? null
            : new SemanticReport(
                dataset,
                SemanticMetrics.compute(space, total.matrix, null),
                space.indexIds(),
                total.matrix,
                List.of(),
                Map.of());
    return new PanopticReport(dataset, PqResult.of(total.stats, categories), semantic, errors, run);
  }

  /** Sufficient statistics, tree-reduced. */
  static final class Aggregate implements Serializable {
    private static final long serialVersionUID = 1L;
    final PqStats stats = new PqStats();
    final ConfusionMatrix matrix;
    final List<ImageError> errors = new ArrayList<>();
    long images;
    long decodeNanos;
    long metricsNanos;

    Aggregate(int size) {
      matrix = new ConfusionMatrix(size);
    }

    static Aggregate add(Aggregate a, PanopticResult r) {
      a.decodeNanos += r.decodeNanos();
      a.metricsNanos += r.metricsNanos();
      if (!r.ok()) {
        a.errors.add(new ImageError(r.sample().fileName(), r.error()));
        return a;
      }
      a.images++;
      a.stats.merge(r.stats());
      if (r.semantic() != null) {
        a.matrix.add(r.semantic());
      }
      return a;
    }

    static Aggregate merge(Aggregate a, Aggregate b) {
      a.stats.merge(b.stats);
      a.matrix.merge(b.matrix);
      a.errors.addAll(b.errors);
      a.images += b.images;
      a.decodeNanos += b.decodeNanos;
      a.metricsNanos += b.metricsNanos;
      return a;
    }
  }
}

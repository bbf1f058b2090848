package dev.segspark.jobs.cli;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.evaluation.report.PanopticReportWriter;
import dev.segspark.evaluation.report.ReportText;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.udfs.model.ModelSpecs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark evaluate}: score predictions already on disk against ground truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Evaluate segmentation against ground truth and write the reports.",
      "",
      "It scores one of three inputs: prediction PNGs already on disk (--predictions), a model"
          + " that predicts the dataset's images in the same pass (--model, with per-stage"
          + " timings), or COCO-panoptic predictions (--task panoptic: PQ, SQ and RQ as"
          + " panopticapi computes them).",
      "",
      "Semantic runs write report.json, report.md, report.html, per_class.csv,"
          + " confusion_matrix.csv and per_image.parquet into --out; panoptic runs write the"
          + " same without confusion_matrix.csv. The summary table is printed at the end.",
      ""
    },
    footer = {
      "",
      "Layouts: cityscapes reads gtFine/<split>/<city>/*_gtFine_labelIds.png and matches each"
          + " prediction by its <city>_<seq>_<frame> prefix, searched recursively; ade20k reads"
          + " annotations/<split>/*.png; voc reads SegmentationClass/*.png, filtered by"
          + " ImageSets/Segmentation/<split>.txt; a YAML label table reads masks/*.png. Other"
          + " than Cityscapes, predictions are matched by file stem. Panoptic predictions are"
          + " paired with the ground truth by image_id.",
      "",
      "Examples:",
      "  segspark synth --out /tmp/cs --images 8 --with-predictions",
      "  segspark evaluate --dataset cityscapes --data-root /tmp/cs \\",
      "      --predictions /tmp/cs/predictions/labelIds --out /tmp/cs-report",
      "  segspark evaluate --dataset cityscapes --data-root /tmp/cs \\",
      "      --convention mmseg --prediction-ids trainIds \\",
      "      --predictions /tmp/cs/predictions/trainIds --out /tmp/mmseg-report",
      "  segspark evaluate --dataset cityscapes --data-root /tmp/cs \\",
      "      --model segformer-synth --out /tmp/model-report",
      "  G=evaluation/src/test/resources/coco-panoptic-mini   # in a segspark checkout",
      "  segspark evaluate --task panoptic --out /tmp/pq-report \\",
      "      --gt-json $G/panoptic.json --gt-dir $G/panoptic \\",
      "      --pred-json $G/panoptic.json --pred-dir $G/panoptic",
      "",
      "Exit codes: 0 success, 1 failure (e.g. a bad image under --on-error fail), 2 bad usage."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--task",
      defaultValue = "semantic",
      paramLabel = "semantic|panoptic",
      description =
          "semantic (label maps) or panoptic (COCO-panoptic PNG + JSON); default: ${DEFAULT-VALUE}")
  String task;

  @Option(
      names = "--dataset",
      paramLabel = "NAME|YAML",
      description = "cityscapes, ade20k, voc, or a YAML label table (generic layout)")
  String dataset;

  @Option(names = "--data-root", paramLabel = "DIR", description = "Dataset root")
  Path dataRoot;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description = "Split (default: val; ADE20K: validation)")
  String split;

  @Option(
      names = "--predictions",
      paramLabel = "DIR",
      description = "Folder with prediction PNGs (searched recursively)")
  Path predictions;

  @Option(
      names = "--model",
      paramLabel = "SPEC",
      description =
          "Model spec (conf/models/*.yaml, or a shipped name such as segformer-synth): predict the"
              + " dataset's images and evaluate in one pass, instead of --predictions")
  String model;

  @Option(
      names = "--prediction-ids",
      paramLabel = "labelIds|trainIds",
      converter = Converters.PredictionIdsConverter.class,
      description =
          "What prediction values are (default: labelIds for the cityscapes "
              + "convention on Cityscapes, else trainIds)")
  PredictionIds predictionIds;

  @Option(
      names = "--convention",
      paramLabel = "NAME",
      converter = Converters.ConventionConverter.class,
      description =
          "cityscapes|mmseg|detectron2|torchmetrics (default: cityscapes for "
              + "Cityscapes, mmseg elsewhere)")
  Convention convention;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder")
  Path out;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "67108864",
      description = "Reject images with more pixels (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Option(names = "--gt-json", paramLabel = "FILE", description = "Panoptic ground-truth JSON")
  Path gtJson;

  @Option(names = "--gt-dir", paramLabel = "DIR", description = "Panoptic ground-truth PNGs")
  Path gtDir;

  @Option(names = "--pred-json", paramLabel = "FILE", description = "Panoptic prediction JSON")
  Path predJson;

  @Option(names = "--pred-dir", paramLabel = "DIR", description = "Panoptic prediction PNGs")
  Path predDir;

  @Option(
      names = "--semantic",
      description = "Panoptic: also report semantic IoU over categories from the same pair")
  boolean semantic;

  @Mixin SparkOptions spark;

  @Mixin OnErrorOption errors;

  @Override
  public Integer call() {
    return switch (task) {
      case "semantic" -> semantic();
      case "panoptic" -> panoptic();
      default ->
          throw new IllegalArgumentException(
              "Cannot evaluate: --task must be semantic or panoptic (" + task + ")");
    };
  }

  private int panoptic() {
    require(
        gtJson != null && gtDir != null && predJson != null && predDir != null && out != null,
        "--task panoptic needs --gt-json, --gt-dir, --pred-json, --pred-dir and --out");
    PanopticSpec spec =
        new PanopticSpec(
            gtJson,
            gtDir,
            predJson,
            predDir,
            out,
            semantic,
            errors.onError,
            spark.partitions,
            maxPixels);
    spec.checkPaths(); // bad paths fail in a second, before the Spark session starts
    PanopticReport report =
        SegActions.get(spark.runner("evaluate", ExecutorJars.NO_MODEL))
            .evaluatePanoptic(spec)
            .execute();
    System.out.print(PanopticReportWriter.consoleTable(report));
    System.out.println("Reports: " + out.toAbsolutePath());
    return 0;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("Cannot evaluate: " + message);
    }
  }

  private int semantic() {
    require(
        dataset != null
            && dataRoot != null
            && out != null
            && (predictions == null) != (model == null),
        "--task semantic needs --dataset, --data-root, --out and one of --predictions or --model");
    require(
        model == null || predictionIds == null,
        "--prediction-ids applies to --predictions; a model spec says its own outputIds");
    DatasetSpec data = DatasetSpec.of(dataset, dataRoot, split);
    EvalSpec spec =
        new EvalSpec(
            data,
            predictions,
            predictionIds,
            convention,
            out,
            errors.onError,
            spark.partitions,
            maxPixels,
            model == null ? null : ModelSpecs.resolve(model));
    spec.checkPaths(); // bad paths fail in a second, before the Spark session starts
    EvaluateResult result =
        SegActions.get(spark.runner("evaluate", ExecutorJars.enginesFor(spec.model())))
            .evaluate(spec)
            .execute();
    System.out.print(ReportText.consoleTable(result.report()));
    System.out.println("Reports: " + result.out().toAbsolutePath());
    return 0;
  }
}

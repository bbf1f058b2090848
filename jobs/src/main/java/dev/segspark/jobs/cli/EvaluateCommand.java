package dev.segspark.jobs.cli;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.report.ReportText;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark evaluate}: score predictions already on disk against ground truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate semantic-segmentation predictions (PNG label maps) against ground truth.",
      "Writes report.json, report.md, per_class.csv, confusion_matrix.csv and per_image.parquet",
      "into --out and prints the per-class table."
    },
    footer = {
      "",
      "Layouts: cityscapes (gtFine/<split>/<city>/*_gtFine_labelIds.png; predictions matched by",
      "<city>_<seq>_<frame> prefix, searched recursively), ade20k (annotations/<split>/*.png),",
      "voc (SegmentationClass/*.png, ImageSets/Segmentation/<split>.txt), or a YAML label table",
      "for generic data (masks/*.png); non-Cityscapes predictions are matched by file stem.",
      "Exit codes: 0 success, 1 failure (bad input under --on-error fail), 2 bad usage."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME|YAML",
      description = "cityscapes, ade20k, voc, or a YAML label table (generic layout)")
  String dataset;

  @Option(names = "--data-root", required = true, paramLabel = "DIR", description = "Dataset root")
  Path dataRoot;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      description = "Split (default: val; ADE20K: validation)")
  String split;

  @Option(
      names = "--predictions",
      required = true,
      paramLabel = "DIR",
      description = "Folder with prediction PNGs (searched recursively)")
  Path predictions;

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

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder")
  Path out;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "67108864",
      description = "Reject images with more pixels (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    DatasetSpec data = DatasetSpec.of(dataset, dataRoot, split);
    EvalSpec spec =
        new EvalSpec(
            data,
            predictions,
            predictionIds,
            convention,
            out,
            spark.onError,
            spark.partitions,
            maxPixels);
    SparkSession session = spark.session("evaluate");
    EvaluateResult result = SegActions.get(session).evaluate(spec).execute();
    System.out.print(ReportText.consoleTable(result.report()));
    System.out.println("Reports: " + result.out().toAbsolutePath());
    return 0;
  }
}

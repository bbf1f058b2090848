package dev.segspark.jobs.cli;

import dev.segspark.evaluation.report.ReportText;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark demo}: synthesise a small dataset with predictions and evaluate it. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The quick-start demo on local Spark: generate a synthetic Cityscapes-layout dataset with",
      "corrupted predictions, evaluate them with the cityscapes convention and print the table."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      defaultValue = "segspark-demo",
      paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--images",
      defaultValue = "64",
      paramLabel = "N",
      description = "Frames (default: ${DEFAULT-VALUE})")
  int images;

  @Option(
      names = "--size",
      defaultValue = "256x512",
      paramLabel = "HxW",
      description = "Frame size (default: ${DEFAULT-VALUE})")
  String size;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    int[] hw = SynthSpec.parseSize(size);
    Path data = out.resolve("data");
    SparkSession session = spark.session("demo");
    SegActions actions = SegActions.get(session);
    System.out.printf(
        Locale.ROOT, "1/2 synth: %d frames %dx%d -> %s%n", images, hw[0], hw[1], data);
    actions
        .synth(new SynthSpec(data, images, 7, hw[0], hw[1], true, "val", spark.partitions))
        .execute();
    System.out.println("2/2 evaluate: predictions/labelIds vs gtFine (cityscapes convention)");
    EvalSpec spec =
        new EvalSpec(
            DatasetSpec.of("cityscapes", data, "val"),
            data.resolve("predictions/labelIds"),
            null,
            null,
            out.resolve("report"),
            spark.onError,
            spark.partitions,
            EvalSpec.DEFAULT_MAX_PIXELS);
    EvaluateResult result = actions.evaluate(spec).execute();
    System.out.print(ReportText.consoleTable(result.report()));
    System.out.println(
        "Reports: "
            + result.out().toAbsolutePath()
            + " (report.json, report.md, per_class.csv, confusion_matrix.csv, per_image.parquet)");
    return 0;
  }
}

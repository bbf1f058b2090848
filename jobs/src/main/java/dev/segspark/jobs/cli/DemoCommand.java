package dev.segspark.jobs.cli;

import dev.segspark.evaluation.report.ReportText;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.data.PathChecks;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark demo}: synthesise a small dataset, run the bundled model, evaluate, label. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Run the quick-start demo on local Spark.",
      "",
      "It generates a synthetic Cityscapes-layout dataset in --out/data, runs the bundled"
          + " SegFormer (conf/models/segformer-synth.yaml) on it through DJL, evaluates the"
          + " predictions with the cityscapes convention into --out/report, prints the"
          + " per-class table, and writes colour masks and overlays of the Frankfurt frames"
          + " into --out/masks.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  segspark demo",
      "  segspark demo --images 16 --model danet-synth --out /tmp/demo-danet",
      "",
      "Exit codes: 0 success, 1 failure, 2 bad usage."
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

  @Option(
      names = "--model",
      defaultValue = "segformer-synth",
      paramLabel = "SPEC",
      description = "Model spec or shipped name (default: ${DEFAULT-VALUE})")
  String model;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    int[] hw = SynthSpec.parseSize(size);
    Path data = out.resolve("data");
    ModelSpec spec = ModelSpecs.resolve(model);
    PathChecks.requireWritableFolder(out, "--out", "run the demo");
    SparkSession session = spark.session("demo");
    SegActions actions = SegActions.get(session);
    System.out.printf(
        Locale.ROOT, "1/3 synth: %d frames %dx%d -> %s%n", images, hw[0], hw[1], data);
    actions
        .synth(new SynthSpec(data, images, 7, hw[0], hw[1], false, "val", spark.partitions))
        .execute();
    System.out.printf(
        Locale.ROOT,
        "2/3 evaluate --model %s (%s, %s): inference + cityscapes-convention evaluation%n",
        spec.name(),
        spec.architecture(),
        spec.model());
    EvalSpec eval =
        new EvalSpec(
            DatasetSpec.of("cityscapes", data, "val"),
            null,
            null,
            null,
            out.resolve("report"),
            OnError.FAIL,
            spark.partitions,
            EvalSpec.DEFAULT_MAX_PIXELS,
            spec);
    EvaluateResult result = actions.evaluate(eval).execute();
    System.out.print(ReportText.consoleTable(result.report()));
    System.out.println(
        "Reports: "
            + result.out().toAbsolutePath()
            + " (report.json, report.md, report.html, per_class.csv, confusion_matrix.csv,"
            + " per_image.parquet)");
    Path masks = out.resolve("masks");
    System.out.println("3/3 label: colour masks and overlays of the frankfurt frames");
    LabelResult labelled =
        actions
            .label(
                new LabelSpec(
                    spec,
                    data.resolve("leftImg8bit/val/frankfurt").toString(),
                    masks,
                    List.of("color", "overlay"),
                    false,
                    OnError.FAIL,
                    spark.partitions,
                    EvalSpec.DEFAULT_MAX_PIXELS))
            .execute();
    System.out.printf(
        Locale.ROOT,
        "Masks: %s (%d frames: color/*.png, overlay/*.jpg, manifest.parquet)%n",
        masks.toAbsolutePath(),
        labelled.labelled());
    return 0;
  }
}

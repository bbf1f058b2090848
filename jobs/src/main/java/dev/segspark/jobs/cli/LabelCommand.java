package dev.segspark.jobs.cli;

import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.udfs.model.ModelSpecs;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark label}: write a model's masks for a set of images. */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Label images with a model: one mask per image and format, and a manifest.",
      "",
      "Masks go to --out/<format>/, mirroring the input's relative paths. The manifest,"
          + " manifest.parquet, has one row per image: image, masks, class pixel histogram, mean"
          + " confidence, model, time and error. A DETR-panoptic model also writes COCO-panoptic"
          + " PNGs under panoptic/ and panoptic.json, which 'segspark evaluate --task panoptic'"
          + " reads.",
      "",
      "Every file is written to a temp file and renamed into place, so retried and speculative"
          + " tasks are harmless; --resume skips images whose masks all exist.",
      ""
    },
    footer = {
      "",
      "Formats: ids is a grey PNG of the dataset's label ids (what 'segspark evaluate"
          + " --predictions' and cityscapesScripts read), color a palette PNG in the dataset's"
          + " colours, overlay the image blended with those colours (JPEG).",
      "",
      "Examples:",
      "  segspark synth --out /tmp/cs --images 8",
      "  segspark label --model segformer-synth --images /tmp/cs/leftImg8bit/val \\",
      "      --out /tmp/cs-masks --format ids,color,overlay",
      "  segspark label --model detr-panoptic-synth --out /tmp/cs-panoptic \\",
      "      --images '/tmp/cs/leftImg8bit/val/**/*_leftImg8bit.png' --resume",
      "",
      "Exit codes: 0 success, 1 failure (e.g. a bad image under --on-error fail), 2 bad usage."
    })
final class LabelCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "SPEC",
      description = "Model spec (conf/models/*.yaml, or a shipped name such as segformer-synth)")
  String model;

  @Option(
      names = "--images",
      required = true,
      paramLabel = "DIR|GLOB|FILE",
      description = "Input images: a folder (recursive), a glob such as 'data/**/*.png', or a file")
  String images;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder")
  Path out;

  @Option(
      names = "--format",
      split = ",",
      defaultValue = "ids",
      paramLabel = "ids|color|overlay",
      description = "Mask formats, comma-separated (default: ${DEFAULT-VALUE})")
  List<String> formats;

  @Option(
      names = "--resume",
      description = {
        "Skip images whose masks already exist, written with the same model, spec and formats",
        "(a folder written with others is refused: use a new --out, or drop --resume)"
      })
  boolean resume;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "67108864",
      description = "Reject images with more pixels (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Mixin SparkOptions spark;

  @Mixin OnErrorOption errors;

  @Override
  public Integer call() {
    LabelSpec spec =
        new LabelSpec(
            ModelSpecs.resolve(model),
            SegsparkCli.absolute(images).toString(), // a glob's folder part too: see absolute
            out,
            formats.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList(),
            resume,
            errors.onError,
            spark.partitions,
            maxPixels);
    spec.checkPaths(); // bad paths fail in a second, before the Spark session starts
    LabelAction action =
        SegActions.get(spark.session("label", ExecutorJars.enginesFor(spec.model()))).label(spec);
    LabelResult r = action.execute();
    System.out.printf(
        Locale.ROOT,
        "Labelled %d of %d images (%d resumed, %d failed) in %.1f s (%.1f images/s) -> %s%n",
        r.labelled(),
        r.images(),
        r.resumed(),
        r.errors().size(),
        r.seconds(),
        r.imagesPerSecond(),
        r.out().toAbsolutePath());
    return 0;
  }
}

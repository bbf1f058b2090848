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
    description = {
      "Label images with a model: one mask per image and format under --out/<format>/, mirroring",
      "the input's relative paths, plus manifest.parquet (image, masks, class pixel histogram,",
      "mean confidence, model, time). DETR-panoptic models also write COCO-panoptic PNGs under",
      "panoptic/ and panoptic.json. Writes are atomic (temp file + rename) and idempotent under",
      "task retries and speculation; --resume skips images whose masks all exist."
    },
    footer = {
      "",
      "Formats: ids (the dataset's label ids, grey PNG: what `segspark evaluate --predictions`",
      "and cityscapesScripts read), color (palette PNG), overlay (image blended with colours, JPEG).",
      "Exit codes: 0 success, 1 failure (bad input under --on-error fail), 2 bad usage."
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

  @Option(names = "--resume", description = "Skip images whose masks already exist")
  boolean resume;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "67108864",
      description = "Reject images with more pixels (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    LabelSpec spec =
        new LabelSpec(
            ModelSpecs.resolve(model),
            images,
            out,
            formats.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList(),
            resume,
            spark.onError,
            spark.partitions,
            maxPixels);
    spec.checkPaths(); // bad paths fail in a second, before the Spark session starts
    LabelAction action = SegActions.get(spark.session("label")).label(spec);
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

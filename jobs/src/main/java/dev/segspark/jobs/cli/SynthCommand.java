package dev.segspark.jobs.cli;

import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.actions.SynthResult;
import dev.segspark.jobs.synth.SynthSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark synth}: generate a synthetic Cityscapes-layout dataset. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Generate a synthetic Cityscapes-layout dataset, deterministic for a seed.",
      "",
      "Frames are generated in parallel: RGB images as"
          + " leftImg8bit/<split>/<city>/*_leftImg8bit.png and, under gtFine/<split>/<city>/,"
          + " labelIds, labelTrainIds, instanceIds and color PNGs; Cityscapes-panoptic ground"
          + " truth as gtFine/cityscapes_panoptic_<split>/*_gtFine_panoptic.png and, written"
          + " last, gtFine/cityscapes_panoptic_<split>.json. With --with-predictions it"
          + " also writes corrupted predictions under predictions/labelIds and"
          + " predictions/trainIds, ready for 'segspark evaluate'.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  segspark synth --out /tmp/cs --images 64",
      "  segspark synth --out /tmp/cs-full --images 500 --size 1024x2048 --seed 3 \\",
      "      --with-predictions",
      "",
      "Exit codes: 0 success, 1 failure, 2 bad usage."
    })
final class SynthCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output root")
  Path out;

  @Option(names = "--images", required = true, paramLabel = "N", description = "Number of frames")
  int images;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "S",
      description = "Random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--size",
      defaultValue = "256x512",
      paramLabel = "HxW",
      description = "Frame size (default: ${DEFAULT-VALUE}; Cityscapes is 1024x2048)")
  String size;

  @Option(
      names = "--split",
      defaultValue = "val",
      paramLabel = "NAME",
      description = "Split folder (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--with-predictions", description = "Also write corrupted predictions")
  boolean withPredictions;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    int[] hw = SynthSpec.parseSize(size);
    SynthSpec spec =
        new SynthSpec(out, images, seed, hw[0], hw[1], withPredictions, split, spark.partitions);
    spec.checkPaths(); // a bad --out fails in a second, before the Spark session starts
    SynthResult result =
        SegActions.get(spark.session("synth", ExecutorJars.NO_MODEL)).synth(spec).execute();
    System.out.printf(
        Locale.ROOT,
        "Wrote %d synthetic frames (%dx%d) to %s in %.1f s%n",
        images,
        hw[0],
        hw[1],
        out.toAbsolutePath(),
        result.seconds());
    return 0;
  }
}

package dev.segspark.jobs.cli;

import dev.segspark.jobs.benchmark.Benchmark;
import dev.segspark.jobs.benchmark.BenchmarkPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segspark benchmark}: accuracy and speed of models on datasets, from a plan. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Run every model x dataset pair of a plan: warm-up runs, then timed runs of the same job"
          + " as 'evaluate --model', and write the results.",
      "",
      "Writes benchmark.json (accuracy, images/s mean/std/runs, forward images/s, per-image"
          + " stage milliseconds, latency p50/p95/p99, model facts, system description),"
          + " benchmark.md (the table to paste), results.parquet (one row per pair and run) and"
          + " pairs/<model>@<dataset>/ (that pair's evaluation reports) into --out.",
      ""
    },
    footer = {
      "",
      "Plan (YAML; unknown keys are errors):",
      "  name: seed-models",
      "  repeats: 3            # timed runs per pair",
      "  warmup: 1             # untimed runs per pair first",
      "  datasets:",
      "    - {name: synth-val, dataset: cityscapes, root: /tmp/synth-val, split: val,",
      "       synth: {images: 64, seed: 7, size: 256x512}}   # synth: generate when absent",
      "  models:",
      "    - segformer-synth",
      "    - {spec: detr-panoptic-synth, name: detr-t0.9, overrides: {detr: {threshold: 0.9}}}",
      "",
      "Examples:",
      "  segspark benchmark --plan conf/benchmarks/seed-models.yaml --out /tmp/bench",
      "",
      "Exit codes: 0 success, 1 a pair failed (under --on-error fail), 2 bad usage or plan."
    })
final class BenchmarkCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true, paramLabel = "PLAN.yaml", description = "The plan")
  Path plan;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder")
  Path out;

  @Option(
      names = "--repeats",
      paramLabel = "N",
      description = "Timed runs per pair (default: the plan's, else 3)")
  Integer repeats;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Untimed runs per pair first (default: the plan's, else 1)")
  Integer warmup;

  @Mixin SparkOptions spark;

  @Mixin OnErrorOption errors;

  @Override
  public Integer call() {
    BenchmarkPlan p = BenchmarkPlan.load(plan).with(repeats, warmup);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "Cannot run benchmark: --out is not a folder (" + out + ")");
    }
    Benchmark.Result result =
        new Benchmark(spark.session("benchmark"), p, out, errors.onError, System.err).execute();
    System.out.print(readTable(out));
    System.out.println("Benchmark: " + out.toAbsolutePath().resolve(Benchmark.JSON));
    return 0;
  }

  private static String readTable(Path out) {
    try {
      return Files.readString(out.resolve(Benchmark.MARKDOWN));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}

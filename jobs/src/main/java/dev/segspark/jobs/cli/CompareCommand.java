package dev.segspark.jobs.cli;

import dev.segspark.jobs.compare.Compare;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segspark compare}: deltas between two reports or benchmarks, and a regression gate. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "Compare two evaluate report folders, or two benchmark folders, and fail on a regression.",
      "",
      "Reports: summary deltas, per-class IoU deltas (largest drop first) and the images whose"
          + " mIoU dropped most (joined by image). Benchmarks: per model@dataset pair, accuracy"
          + " and images/s deltas. Writes compare.json and compare.md into --out.",
      ""
    },
    footer = {
      "",
      "Gates: --max-drop METRIC=POINTS allows a summary figure (mIoU, aAcc, mAcc, iIoU, ...) to"
          + " drop by at most POINTS percentage points (default: mIoU=0, any mIoU drop fails; PQ too"
          + " for benchmarks with panoptic pairs; a figure the folders lack is an error);"
          + " --max-slowdown PCT allows images/s to fall by at most PCT percent (default: not"
          + " gated, timings are noisy).",
      "",
      "Examples:",
      "  segspark compare /tmp/report-main /tmp/report-branch --out /tmp/cmp",
      "  segspark compare /tmp/bench-main /tmp/bench-branch --out /tmp/cmp \\",
      "      --max-drop mIoU=0.5 --max-slowdown 10",
      "",
      "Exit codes: 0 no regression, 1 a gate was crossed (listed on stderr), 2 bad usage or"
          + " folders that cannot be compared."
    })
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BASE", description = "Base report or benchmark folder")
  Path base;

  @Parameters(index = "1", paramLabel = "NEW", description = "New report or benchmark folder")
  Path current;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder")
  Path out;

  @Option(
      names = "--max-drop",
      paramLabel = "METRIC=POINTS",
      description = "Allowed drop of a figure in percentage points (repeatable)")
  List<String> maxDrop;

  @Option(
      names = "--max-slowdown",
      paramLabel = "PCT",
      description = "Allowed fall of images/s in percent")
  Double maxSlowdown;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    Map<String, Double> drops = new LinkedHashMap<>();
    if (maxDrop != null) {
      for (String d : maxDrop) {
        int eq = d.indexOf('=');
        double points;
        try {
          points = Double.parseDouble(d.substring(eq + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          points = Double.NaN;
        }
        if (eq <= 0 || !(points >= 0)) {
          throw new IllegalArgumentException(
              "Cannot compare: --max-drop must be METRIC=POINTS with POINTS >= 0 (" + d + ")");
        }
        drops.put(d.substring(0, eq), points);
      }
    }
    if (maxSlowdown != null && !(maxSlowdown >= 0)) {
      throw new IllegalArgumentException(
          "Cannot compare: --max-slowdown must be a percentage >= 0 (" + maxSlowdown + ")");
    }
    Compare.Result result =
        Compare.run(
            spark.session("compare", ExecutorJars.NO_MODEL),
            base,
            current,
            out,
            new Compare.Gates(drops, maxSlowdown));
    System.out.println("Comparison: " + out.toAbsolutePath().resolve(Compare.MARKDOWN));
    if (!result.regressions().isEmpty()) {
      System.err.println("Regressed:");
      result.regressions().forEach(r -> System.err.println("  " + r));
      return 1;
    }
    System.out.println("No regression.");
    return 0;
  }
}

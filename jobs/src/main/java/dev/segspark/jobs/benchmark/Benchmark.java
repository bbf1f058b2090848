package dev.segspark.jobs.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.segspark.evaluation.io.Folders;
import dev.segspark.evaluation.io.OutputSet;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.benchmark.BenchmarkPlan.Dataset;
import dev.segspark.jobs.benchmark.BenchmarkPlan.Model;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.data.Layout;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.ModelCache;
import dev.segspark.udfs.model.ModelFiles;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import dev.segspark.udfs.partition.LabelLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link BenchmarkPlan}: for each model x dataset pair, {@code warmup} untimed and {@code
 * repeats} timed runs of the {@code evaluate --model} job (the same action, not a special path),
 * then writes {@code benchmark.json}, {@code benchmark.md}, {@code results.parquet} and {@code
 * pairs/<model>@<dataset>/} (the last timed run's evaluation reports) into the output folder, as a
 * unit ({@link OutputSet}, {@code benchmark.json} last).
 *
 * <p>A panoptic model on a Cityscapes-layout dataset with Cityscapes-panoptic ground truth ({@link
 * Layout#panopticJson}, which {@code segspark synth} writes) is also labelled once after its timed
 * runs, untimed, into a hidden {@code pairs/.label-<pair>/} removed afterwards, and its PQ
 * evaluated into {@code pairs/<pair>/panoptic/}: the same two jobs as {@code segspark label} and
 * {@code segspark evaluate --task panoptic}.
 */
public final class Benchmark {
  /** The marker file. */
  public static final String JSON = "benchmark.json";

  public static final String MARKDOWN = "benchmark.md";
  public static final String RESULTS = "results.parquet";
  public static final String PAIRS = "pairs";
  public static final String HTML = "benchmark.html";

  /** A pair's panoptic report folder, inside its reports folder. */
  public static final String PANOPTIC = "panoptic";

  private final SparkSession spark;
  private final BenchmarkPlan plan;
  private final Path out;
  private final OnError onError;
  private final PrintStream progress;

  /**
   * A benchmark run.
   *
   * @param progress where the per-run progress lines go ({@code null}: none)
   */
  public Benchmark(
      SparkSession spark, BenchmarkPlan plan, Path out, OnError onError, PrintStream progress) {
    this.spark = spark;
    this.plan = plan;
    this.out = out;
    this.onError = onError == null ? OnError.FAIL : onError;
    this.progress = progress;
  }

  /** What a run produced. */
  public record Result(List<PairSummary> pairs, List<Map<String, String>> errors, Path out) {}

  /**
   * Runs the plan and writes its outputs.
   *
   * @throws JobFailedException after writing the outputs, when a pair failed under {@code fail}
   */
  public Result execute() {
    for (Dataset d : plan.datasets()) {
      prepare(d);
    }
    Map<String, Object> system = SystemFacts.of(spark);
    List<PairSummary> pairs = new ArrayList<>();
    List<PairRun> runs = new ArrayList<>();
    List<Map<String, String>> errors = new ArrayList<>();
    int total = plan.models().size() * plan.datasets().size();
    try (OutputSet set = OutputSet.open(out, JSON, List.of(MARKDOWN, RESULTS, PAIRS, HTML))) {
      Path staging = set.staging();
      int n = 0;
      outer:
      for (Model m : plan.models()) {
        for (Dataset d : plan.datasets()) {
          n++;
          String label = m.name() != null ? m.name() : m.spec();
          String pair = label + "@" + d.name();
          try {
            PairSummary summary =
                runPair(m, d, n, total, staging.resolve(PAIRS).resolve(safe(pair)));
            pairs.add(summary);
            runs.addAll(summary.runs());
          } catch (RuntimeException e) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("model", label);
            error.put("dataset", d.name());
            error.put("error", String.valueOf(e.getMessage()));
            errors.add(error);
            line("benchmark [%d/%d] %s FAILED: %s", n, total, pair, e.getMessage());
            if (onError == OnError.FAIL) {
              break outer;
            }
          }
        }
      }
      BenchmarkFiles.write(spark, plan, system, pairs, runs, errors, staging);
      set.commit();
    }
    if (!errors.isEmpty() && onError == OnError.FAIL) {
      throw new JobFailedException(
          "Benchmark pair "
              + errors.get(0).get("model")
              + "@"
              + errors.get(0).get("dataset")
              + " failed: "
              + errors.get(0).get("error")
              + System.lineSeparator()
              + "The pairs that finished are in "
              + out.resolve(JSON)
              + "; --on-error skip runs the others too.");
    }
    return new Result(pairs, errors, out);
  }

  /** Generates a dataset's synthetic data when the plan asks for it and its root has none. */
  private void prepare(Dataset d) {
    if (d.synth() == null || Files.isDirectory(d.root().resolve("gtFine"))) {
      return;
    }
    line("benchmark: generating %d frames into %s", d.synth().images(), d.root());
    SegActions.get(spark)
        .synth(
            new SynthSpec(
                d.root(),
                d.synth().images(),
                d.synth().seed(),
                d.synth().height(),
                d.synth().width(),
                false,
                d.split() == null ? "val" : d.split(),
                0))
        .execute();
  }

  private PairSummary runPair(Model m, Dataset d, int n, int total, Path reports) {
    ModelSpec spec = spec(m);
    String label = m.name() != null ? m.name() : spec.name();
    DatasetSpec data = DatasetSpec.of(d.dataset(), d.root(), d.split());
    List<PairRun> runs = new ArrayList<>();
    SemanticReport last = null;
    for (int i = 1; i <= plan.warmup() + plan.repeats(); i++) {
      boolean timed = i > plan.warmup();
      Path target = timed ? reports : reports.resolveSibling(".warmup-" + safe(label));
      EvalSpec eval =
          new EvalSpec(
              data,
              null,
              null,
              d.convention(),
              target,
              onError,
              0,
              EvalSpec.DEFAULT_MAX_PIXELS,
              spec);
      long t0 = System.nanoTime();
      SemanticReport report =
          SegActions.get(spark).evaluate(eval).option("progress", "false").execute().report();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!timed) {
        Folders.deleteQuietly(target);
        line(
            "benchmark [%d/%d] %s@%s warm-up %d/%d: %.1f s",
            n, total, label, d.name(), i, plan.warmup(), seconds);
        continue;
      }
      PairRun run = runOf(label, d.name(), i - plan.warmup(), report, seconds, reports);
      runs.add(run);
      last = report;
      line(
          "benchmark [%d/%d] %s@%s run %d/%d: %.2f img/s (forward %.2f), mIoU %.4f",
          n,
          total,
          label,
          d.name(),
          run.run(),
          plan.repeats(),
          run.imagesPerSecond(),
          run.forwardImagesPerSecond(),
          run.mIoU());
    }
    PanopticReport panoptic = panoptic(spec, data, label + "@" + d.name(), reports);
    if (panoptic != null) {
      Double pq = panoptic.result().all().pq();
      line(
          "benchmark [%d/%d] %s@%s PQ %s",
          n, total, label, d.name(), pq == null ? "-" : String.format(Locale.ROOT, "%.4f", pq));
    }
    return new PairSummary(label, d.name(), facts(spec), List.copyOf(runs), last, panoptic);
  }

  /**
   * The pair's PQ when the model is panoptic and the dataset has Cityscapes-panoptic ground truth:
   * labels the images into a hidden folder next to {@code reports} (removed afterwards) and
   * evaluates them into {@code reports/panoptic/}; {@code null} otherwise.
   */
  private PanopticReport panoptic(ModelSpec spec, DatasetSpec data, String pair, Path reports) {
    Path gtJson = Layout.panopticJson(data.root(), data.split());
    if (!spec.head().panoptic()
        || data.layout() != Layout.CITYSCAPES
        || !Files.isRegularFile(gtJson)) {
      return null;
    }
    Path labels = reports.resolveSibling(".label-" + safe(pair));
    try {
      SegActions.get(spark)
          .label(
              new LabelSpec(
                  spec,
                  SampleLister.imageFolder(data).toString(),
                  labels,
                  List.of("ids"),
                  false,
                  onError,
                  0,
                  EvalSpec.DEFAULT_MAX_PIXELS))
          .option("progress", "false")
          .execute();
      return SegActions.get(spark)
          .evaluatePanoptic(
              new PanopticSpec(
                  gtJson,
                  Layout.panopticDir(data.root(), data.split()),
                  labels.resolve(LabelAction.PANOPTIC_JSON),
                  labels.resolve(LabelLayout.PANOPTIC),
                  reports.resolve(PANOPTIC),
                  false,
                  onError,
                  0,
                  EvalSpec.DEFAULT_MAX_PIXELS))
          .option("progress", "false")
          .execute();
    } finally {
      Folders.deleteQuietly(labels);
    }
  }

  private static ModelSpec spec(Model m) {
    com.fasterxml.jackson.databind.node.ObjectNode overrides =
        m.overrides() == null
            ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
            : m.overrides().deepCopy();
    if (m.name() != null) {
      overrides.put("name", m.name());
    }
    return ModelSpecs.resolve(m.spec(), overrides.isEmpty() ? null : overrides);
  }

  private PairRun runOf(
      String model, String dataset, int run, SemanticReport report, double seconds, Path reports) {
    Map<String, Object> facts = report.run();
    long images = report.dataset().images();
    double per = images == 0 ? Double.NaN : 1000.0 / images;
    double[] latency = latencies(reports.resolve("per_image.parquet"));
    return new PairRun(
        model,
        dataset,
        run,
        images,
        seconds,
        images / seconds,
        number(facts.get("inferenceImagesPerSecond")),
        number(facts.get("decodeSeconds")) * per,
        number(facts.get("preprocessSeconds")) * per,
        number(facts.get("inferenceSeconds")) * per,
        number(facts.get("postprocessSeconds")) * per,
        number(facts.get("metricsSeconds")) * per,
        percentile(latency, 50),
        percentile(latency, 95),
        percentile(latency, 99),
        orNaN(report.scores().summary().mIoU()),
        orNaN(report.scores().summary().aAcc()));
  }

  /** Each image's time over the five stages, sorted, from the run's per-image table. */
  private double[] latencies(Path perImage) {
    if (!Files.isDirectory(perImage)) {
      return new double[0];
    }
    List<Row> rows =
        spark
            .read()
            .parquet(perImage.toString())
            .selectExpr(
                "decodeMillis + metricsMillis + preprocessMillis + inferenceMillis"
                    + " + postprocessMillis AS millis")
            .collectAsList();
    double[] v = rows.stream().mapToDouble(r -> r.getDouble(0)).toArray();
    Arrays.sort(v);
    return v;
  }

  /** Nearest-rank percentile of sorted values; NaN when there are none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double orNaN(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Model facts: parameters (where the engine lists them), file bytes, input, batch, precision. */
  private Map<String, Object> facts(ModelSpec spec) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("spec", spec.source());
    f.put("engine", spec.engine().yamlName());
    f.put("adapter", spec.adapter());
    f.put("parameters", parameters(spec));
    long bytes = -1;
    try {
      String m = spec.model(); // a shipped model: the file extracted from the jar
      bytes = Files.size(m.startsWith(ModelFiles.CLASSPATH) ? ModelFiles.local(m) : FsPaths.of(m));
    } catch (IOException | RuntimeException e) {
      // a remote model: size unknown here
    }
    f.put("fileBytes", bytes < 0 ? null : bytes);
    f.put("input", spec.input().height() + "x" + spec.input().width());
    f.put("batchSize", spec.batchSize());
    f.put("precision", spec.precision().name().toLowerCase(Locale.ROOT));
    Object gpus = spark.sparkContext().getConf().getDouble("spark.task.resource.gpu.amount", 0);
    f.put("device", ((Double) gpus) > 0 ? "gpu" : "cpu");
    return f;
  }

  private static Long parameters(ModelSpec spec) {
    try {
      Block block = ModelCache.get(spec, Device.cpu()).getBlock();
      long n = 0;
      for (var p : block.getParameters()) {
        NDArray a = p.getValue().getArray();
        n += a.getShape().size();
      }
      return n;
    } catch (RuntimeException e) {
      return null; // ONNX Runtime does not list parameters
    }
  }

  /** A pair label as a folder name. */
  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._@=+-]", "_");
  }

  private void line(String format, Object... args) {
    if (progress != null) {
      progress.println(String.format(Locale.ROOT, format, args));
      progress.flush();
    }
  }
}

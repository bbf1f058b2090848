package dev.segspark.jobs.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.panoptic.PqResult;
import dev.segspark.evaluation.panoptic.PqSummary;
import dev.segspark.jobs.benchmark.BenchmarkPlan.Dataset;
import dev.segspark.jobs.benchmark.BenchmarkPlan.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code benchmark.json}, {@code benchmark.md} and {@code results.parquet} of a benchmark run. */
final class BenchmarkFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchmarkFiles() {}

  static void write(
      SparkSession spark,
      BenchmarkPlan plan,
      Map<String, Object> system,
      List<PairSummary> pairs,
      List<PairRun> runs,
      List<Map<String, String>> errors,
      Path dir) {
    writeResults(spark, runs, dir.resolve(Benchmark.RESULTS));
    AtomicFiles.write(dir.resolve(Benchmark.MARKDOWN), markdown(plan, system, pairs, errors));
    ObjectNode json = json(plan, system, pairs, errors);
    AtomicFiles.write(dir.resolve(Benchmark.HTML), BenchmarkHtml.page(json, pairs));
    try {
      AtomicFiles.write(dir.resolve(Benchmark.JSON), JSON.writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode json(
      BenchmarkPlan plan,
      Map<String, Object> system,
      List<PairSummary> pairs,
      List<Map<String, String>> errors) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", "segspark-benchmark/1");
    root.put("name", plan.name());
    ObjectNode p = root.putObject("plan");
    p.put("repeats", plan.repeats());
    p.put("warmup", plan.warmup());
    ArrayNode ds = p.putArray("datasets");
    for (Dataset d : plan.datasets()) {
      ObjectNode n = ds.addObject();
      n.put("name", d.name());
      n.put("dataset", d.dataset());
      n.put("root", d.root().toString());
      n.put("split", d.split());
      n.put(
          "convention",
          d.convention() == null ? null : d.convention().name().toLowerCase(Locale.ROOT));
    }
    ArrayNode ms = p.putArray("models");
    for (Model m : plan.models()) {
      ObjectNode n = ms.addObject();
      n.put("spec", m.spec());
      n.put("name", m.name());
      n.set("overrides", m.overrides());
    }
    root.set("system", JSON.valueToTree(system));
    ArrayNode out = root.putArray("pairs");
    for (PairSummary s : pairs) {
      ObjectNode n = out.addObject();
      n.put("model", s.model());
      n.put("dataset", s.dataset());
      n.put("reports", Benchmark.PAIRS + "/" + Benchmark.safe(s.model() + "@" + s.dataset()));
      n.set("modelFacts", JSON.valueToTree(s.modelFacts()));
      var summary = s.report().scores().summary();
      ObjectNode acc = n.putObject("accuracy");
      acc.put("convention", s.report().scores().convention().name().toLowerCase(Locale.ROOT));
      acc.put("mIoU", summary.mIoU());
      acc.put("aAcc", summary.aAcc());
      acc.put("mAcc", summary.mAcc());
      acc.put("iIoU", summary.iIoU());
      acc.put("categoryIoU", summary.categoryIoU());
      ObjectNode classes = acc.putObject("classIoU");
      for (ClassScores c : s.report().scores().classes()) {
        classes.put(c.name(), c.iou());
      }
      pq(n, s);
      n.put("images", s.runs().isEmpty() ? 0 : s.runs().get(0).images());
      rate(n.putObject("imagesPerSecond"), s, PairRun::imagesPerSecond);
      rate(n.putObject("forwardImagesPerSecond"), s, PairRun::forwardImagesPerSecond);
      ObjectNode stages = n.putObject("stageMillisPerImage");
      stages.put("decode", s.mean(PairRun::decodeMillis));
      stages.put("preprocess", s.mean(PairRun::preprocessMillis));
      stages.put("inference", s.mean(PairRun::inferenceMillis));
      stages.put("postprocess", s.mean(PairRun::postprocessMillis));
      stages.put("metrics", s.mean(PairRun::metricsMillis));
      ObjectNode latency = n.putObject("latencyMillis");
      latency.put("p50", s.mean(PairRun::p50Millis));
      latency.put("p95", s.mean(PairRun::p95Millis));
      latency.put("p99", s.mean(PairRun::p99Millis));
      ArrayNode seconds = n.putArray("seconds");
      s.runs().forEach(r -> seconds.add(r.seconds()));
    }
    root.set("errors", JSON.valueToTree(errors));
    return root;
  }

  /**
   * {@code pq}: All / Things / Stuff as the panoptic report has them and the report folder, or null
   * when the pair has no panoptic evaluation.
   */
  private static void pq(ObjectNode n, PairSummary s) {
    if (s.panoptic() == null) {
      n.putNull("pq");
      return;
    }
    ObjectNode pq = n.putObject("pq");
    PqResult r = s.panoptic().result();
    summary(pq.putObject("all"), r.all());
    summary(pq.putObject("things"), r.things());
    summary(pq.putObject("stuff"), r.stuff());
    pq.put(
        "reports",
        Benchmark.PAIRS
            + "/"
            + Benchmark.safe(s.model() + "@" + s.dataset())
            + "/"
            + Benchmark.PANOPTIC);
  }

  private static void summary(ObjectNode node, PqSummary s) {
    node.put("pq", s.pq()).put("sq", s.sq()).put("rq", s.rq()).put("n", s.n());
  }

  private static void rate(ObjectNode n, PairSummary s, ToDoubleFunction<PairRun> figure) {
    n.put("mean", s.mean(figure));
    n.put("std", s.std(figure));
    ArrayNode runs = n.putArray("runs");
    s.runs().forEach(r -> runs.add(figure.applyAsDouble(r)));
  }

  /** The table people paste, with the system it ran on. */
  static String markdown(
      BenchmarkPlan plan,
      Map<String, Object> system,
      List<PairSummary> pairs,
      List<Map<String, String>> errors) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark ").append(cell(plan.name())).append("\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%d timed run(s) per pair after %d warm-up run(s); img/s end to end (listing, decoding,"
                + " forward, counting, reports) as mean ± std over the runs; forward img/s: images"
                + " over the forward-pass time summed over tasks, i.e. per task slot.%n%n",
            plan.repeats(),
            plan.warmup()));
    b.append(
        "| model | dataset | mIoU | PQ | img/s ± std | forward img/s | ms/img p50 / p95 | params |"
            + " device |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (PairSummary s : pairs) {
      Double miou = s.report().scores().summary().mIoU();
      Object params = s.modelFacts().get("parameters");
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.2f ± %.2f | %.2f | %.1f / %.1f | %s | %s |%n",
              cell(s.model()),
              cell(s.dataset()),
              percent(miou),
              percent(s.panoptic() == null ? null : s.panoptic().result().all().pq()),
              s.mean(PairRun::imagesPerSecond),
              s.std(PairRun::imagesPerSecond),
              s.mean(PairRun::forwardImagesPerSecond),
              s.mean(PairRun::p50Millis),
              s.mean(PairRun::p95Millis),
              params == null
                  ? "–"
                  : String.format(Locale.ROOT, "%,d", ((Number) params).longValue()),
              s.modelFacts().get("device")));
    }
    if (!errors.isEmpty()) {
      b.append("\n## Errors\n\n");
      for (Map<String, String> e : errors) {
        b.append("- ")
            .append(cell(e.get("model")))
            .append(" @ ")
            .append(cell(e.get("dataset")))
            .append(": ")
            .append(cell(e.get("error")))
            .append('\n');
      }
    }
    b.append("\n## System\n\n| | |\n|---|---|\n");
    system.forEach(
        (k, v) ->
            b.append("| ").append(k).append(" | ").append(cell(String.valueOf(v))).append(" |\n"));
    return b.toString();
  }

  /** A fraction as a percentage with two decimals; a dash for none. */
  private static String percent(Double fraction) {
    return fraction == null ? "–" : String.format(Locale.ROOT, "%.2f", fraction * 100);
  }

  /** A Markdown table cell: pipes escaped, one line. */
  private static String cell(String s) {
    return s == null
        ? ""
        : s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }

  private static void writeResults(SparkSession spark, List<PairRun> runs, Path folder) {
    StructType schema = new StructType();
    List<java.lang.reflect.RecordComponent> fields = List.of(PairRun.class.getRecordComponents());
    for (var f : fields) {
      schema =
          schema.add(
              f.getName(),
              f.getType() == String.class
                  ? DataTypes.StringType
                  : f.getType() == int.class
                      ? DataTypes.IntegerType
                      : f.getType() == long.class ? DataTypes.LongType : DataTypes.DoubleType,
              false);
    }
    List<Row> rows = new ArrayList<>();
    for (PairRun r : runs) {
      Object[] values = new Object[fields.size()];
      for (int i = 0; i < values.length; i++) {
        try {
          values[i] = fields.get(i).getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      rows.add(RowFactory.create(values));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(folder.toString());
  }
}

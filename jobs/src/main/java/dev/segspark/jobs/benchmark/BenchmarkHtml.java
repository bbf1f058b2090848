package dev.segspark.jobs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.report.ChartOptions;
import dev.segspark.evaluation.report.HtmlPage;
import dev.segspark.evaluation.report.HtmlReports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code benchmark.html}: the benchmark as one self-contained page ({@link HtmlPage}), drawn from
 * what {@code benchmark.json} says: the sortable results table, accuracy against images/s with the
 * Pareto front and the models x classes IoU heat-map per dataset, the stage times per pair, each
 * pair's confusion heat-map, the errors and the system description.
 */
final class BenchmarkHtml {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The stages of {@code stageMillisPerImage}, in pipeline order. */
  static final List<String> STAGES =
      List.of("decode", "preprocess", "inference", "postprocess", "metrics");

  private BenchmarkHtml() {}

  /**
   * The page.
   *
   * @param json the run's {@code benchmark.json} tree
   * @param pairs the pairs it lists, in the same order (for their confusion matrices)
   */
  static String page(JsonNode json, List<PairSummary> pairs) {
    HtmlPage page = new HtmlPage("segspark benchmark " + json.path("name").asText());
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("plan", json.path("name").asText());
    facts.put("timed runs per pair", json.at("/plan/repeats").asInt());
    facts.put("warm-up runs per pair", json.at("/plan/warmup").asInt());
    facts.put("pairs", json.path("pairs").size());
    facts.put("failed pairs", json.path("errors").size());
    page.facts(facts);
    results(page, json.path("pairs"));
    for (String dataset : datasets(json.path("pairs"))) {
      List<JsonNode> of = new ArrayList<>();
      for (JsonNode p : json.path("pairs")) {
        if (p.path("dataset").asText().equals(dataset)) {
          of.add(p);
        }
      }
      pareto(page, dataset, of);
      classes(page, dataset, of);
    }
    stages(page, json.path("pairs"));
    for (PairSummary s : pairs) {
      HtmlReports.confusion(
          page,
          "Confusion matrix: " + s.model() + " @ " + s.dataset(),
          s.report().matrixNames(),
          s.report().matrix().square());
    }
    if (json.path("errors").size() > 0) {
      page.heading("Failed pairs");
      HtmlPage.Table errors = new HtmlPage.Table(3, "Model", "Dataset", "Error");
      json.path("errors")
          .forEach(
              e ->
                  errors.row(
                      e.path("model").asText(),
                      e.path("dataset").asText(),
                      e.path("error").asText()));
      page.table(errors);
    }
    page.heading("System");
    page.facts(JSON.convertValue(json.path("system"), Map.class));
    return page.render();
  }

  private static Set<String> datasets(JsonNode pairs) {
    Set<String> names = new LinkedHashSet<>();
    pairs.forEach(p -> names.add(p.path("dataset").asText()));
    return names;
  }

  private static void results(HtmlPage page, JsonNode pairs) {
    page.heading("Results");
    page.note(
        "Scores in percent. img/s: end to end (listing, decoding, forward, counting, reports),"
            + " mean and standard deviation over the timed runs; forward img/s: images over the"
            + " forward-pass time summed over tasks (per task slot); ms/img: per-image latency over the five stages. Click a heading to sort.");
    HtmlPage.Table table =
        new HtmlPage.Table(
                4,
                "Model",
                "Dataset",
                "Device",
                "Engine",
                "mIoU",
                "PQ",
                "img/s",
                "± std",
                "forward img/s",
                "ms/img p50",
                "ms/img p95",
                "ms/img p99",
                "Parameters")
            .sortable();
    for (JsonNode p : pairs) {
      JsonNode params = p.at("/modelFacts/parameters");
      table.row(
          p.path("model").asText(),
          p.path("dataset").asText(),
          p.at("/modelFacts/device").asText(),
          p.at("/modelFacts/engine").asText(),
          percent(p.at("/accuracy/mIoU")),
          percent(p.at("/pq/all/pq")),
          number(p.at("/imagesPerSecond/mean"), 2),
          number(p.at("/imagesPerSecond/std"), 2),
          number(p.at("/forwardImagesPerSecond/mean"), 2),
          number(p.at("/latencyMillis/p50"), 1),
          number(p.at("/latencyMillis/p95"), 1),
          number(p.at("/latencyMillis/p99"), 1),
          params.isNumber() ? String.format(Locale.ROOT, "%,d", params.asLong()) : "n/a");
    }
    page.table(table);
  }

  private static void pareto(HtmlPage page, String dataset, List<JsonNode> pairs) {
    List<String> names = new ArrayList<>();
    double[] x = new double[pairs.size()];
    double[] y = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      names.add(pairs.get(i).path("model").asText());
      x[i] = value(pairs.get(i).at("/imagesPerSecond/mean"));
      y[i] = value(pairs.get(i).at("/accuracy/mIoU"));
    }
    boolean[] front = ChartOptions.paretoFront(x, y);
    List<String> best = new ArrayList<>();
    for (int i = 0; i < front.length; i++) {
      if (front[i]) {
        best.add(names.get(i));
      }
    }
    page.heading("Accuracy against speed: " + dataset);
    page.note(
        "mIoU against end-to-end images/s; the dashed line joins the Pareto front (no other"
            + " model is both faster and more accurate): "
            + String.join(", ", best)
            + ".");
    page.chart(ChartOptions.scatter("images/s", "mIoU", names, x, y), 380, "point");
  }

  private static void classes(HtmlPage page, String dataset, List<JsonNode> pairs) {
    List<String> models = new ArrayList<>();
    Set<String> classes = new LinkedHashSet<>();
    for (JsonNode p : pairs) {
      models.add(p.path("model").asText());
      p.at("/accuracy/classIoU").fieldNames().forEachRemaining(classes::add);
    }
    List<List<Double>> iou = new ArrayList<>();
    for (JsonNode p : pairs) {
      List<Double> row = new ArrayList<>();
      for (String c : classes) {
        JsonNode v = p.at("/accuracy/classIoU").path(c);
        row.add(v.isNumber() ? v.asDouble() : null);
      }
      iou.add(row);
    }
    page.heading("Per-class IoU: " + dataset);
    page.note("Rows: models; columns: classes; no cell where a class has no IoU (absent).");
    page.chart(
        ChartOptions.matrix("IoU", models, new ArrayList<>(classes), iou),
        ChartOptions.matrixHeight(models.size()),
        "matrix");
  }

  private static void stages(HtmlPage page, JsonNode pairs) {
    List<String> names = new ArrayList<>();
    double[][] ms = new double[STAGES.size()][pairs.size()];
    int i = 0;
    for (JsonNode p : pairs) {
      names.add(p.path("model").asText() + " @ " + p.path("dataset").asText());
      for (int s = 0; s < STAGES.size(); s++) {
        ms[s][i] = value(p.path("stageMillisPerImage").path(STAGES.get(s)));
      }
      i++;
    }
    page.heading("Time per image by stage");
    page.note(
        "Task milliseconds per image in each stage, mean over the timed runs (summed over the"
            + " tasks, so with several task slots the wall time per image is lower).");
    page.chart(
        ChartOptions.stacked(names, STAGES, ms),
        ChartOptions.barsHeight(names.size()) + 40,
        "stages");
  }

  private static double value(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static String percent(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble() * 100) : "n/a";
  }

  private static String number(JsonNode n, int decimals) {
    return n.isNumber() ? String.format(Locale.ROOT, "%." + decimals + "f", n.asDouble()) : "n/a";
  }
}

package dev.segspark.jobs.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segspark.evaluation.report.ChartOptions;
import dev.segspark.evaluation.report.HtmlPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code compare.html}: a comparison as one self-contained page ({@link HtmlPage}), drawn from
 * {@code compare.json}: the verdict and what regressed, then for reports the summary deltas, the
 * per-class IoU changes (chart and table, largest drop first) and the images that lost most; for
 * benchmarks each pair's accuracy and speed change.
 */
final class CompareHtml {
  private CompareHtml() {}

  static String page(JsonNode json) {
    HtmlPage page = new HtmlPage("segspark compare");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("compared", json.path("kind").asText() + "s");
    facts.put("base", json.path("base").asText());
    facts.put("new", json.path("new").asText());
    if (json.has("dataset")) {
      facts.put("dataset", json.path("dataset").asText());
      facts.put("convention", json.path("convention").asText());
    }
    int regressions = json.path("regressions").size();
    facts.put("verdict", regressions == 0 ? "passed" : "FAILED: " + regressions + " regression(s)");
    page.facts(facts);
    if (regressions > 0) {
      page.heading("Regressions");
      HtmlPage.Table table = new HtmlPage.Table(1, "What crossed a gate");
      json.path("regressions").forEach(r -> table.row(r.asText()));
      page.table(table);
    }
    if (json.path("kind").asText().equals("report")) {
      report(page, json);
    } else {
      benchmark(page, json);
    }
    return page.render();
  }

  private static void report(HtmlPage page, JsonNode json) {
    page.heading("Summary");
    page.note("Scores in percent; change in points (new - base).");
    HtmlPage.Table summary = new HtmlPage.Table(1, "Metric", "Base", "New", "Change").sortable();
    json.path("summary")
        .fields()
        .forEachRemaining(
            e ->
                summary.row(
                    e.getKey(),
                    pct(e.getValue().path("base")),
                    pct(e.getValue().path("new")),
                    points(e.getValue().path("delta"))));
    JsonNode speed = json.path("imagesPerSecond");
    summary.row("images/s", num(speed.path("base")), num(speed.path("new")), percent(speed));
    page.table(summary);
    List<String> names = new ArrayList<>();
    List<Double> deltas = new ArrayList<>();
    HtmlPage.Table classes =
        new HtmlPage.Table(1, "Class", "Base IoU", "New IoU", "Change").sortable();
    for (JsonNode c : json.path("classes")) {
      names.add(c.path("name").asText());
      deltas.add(c.path("delta").isNumber() ? c.path("delta").asDouble() * 100 : null);
      classes.row(
          c.path("name").asText(),
          pct(c.path("base")),
          pct(c.path("new")),
          points(c.path("delta")));
    }
    page.heading("Per-class IoU change");
    page.note("Largest drop first; points of IoU (new - base).");
    page.chart(
        ChartOptions.deltas("IoU change (points)", names, deltas),
        ChartOptions.barsHeight(names.size()),
        "delta");
    page.table(classes);
    page.heading("Images that lost most");
    if (json.path("images").isEmpty()) {
      page.note("No per-image scores to join (per_image.parquet missing in one report).");
    } else {
      page.note("Per-image mIoU, joined by image; largest drop first.");
      HtmlPage.Table images = new HtmlPage.Table(1, "Image", "Base mIoU", "New mIoU", "Change");
      for (JsonNode i : json.path("images")) {
        images.row(
            i.path("image").asText(),
            pct(i.path("base")),
            pct(i.path("new")),
            points(i.path("delta")));
      }
      page.table(images);
    }
  }

  private static void benchmark(HtmlPage page, JsonNode json) {
    page.heading("Pairs");
    page.note(
        "Accuracy in percent, change in points; speed: mean end-to-end images/s, change in"
            + " percent.");
    HtmlPage.Table table =
        new HtmlPage.Table(
                2,
                "Model",
                "Dataset",
                "Base mIoU",
                "New mIoU",
                "mIoU change",
                "Base img/s",
                "New img/s",
                "Speed change %")
            .sortable();
    List<String> names = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    List<Double> speed = new ArrayList<>();
    for (JsonNode p : json.path("pairs")) {
      JsonNode miou = p.at("/accuracy/mIoU");
      JsonNode ips = p.path("imagesPerSecond");
      names.add(p.path("model").asText() + " @ " + p.path("dataset").asText());
      accuracy.add(miou.path("delta").isNumber() ? miou.path("delta").asDouble() * 100 : null);
      speed.add(ips.path("percent").isNumber() ? ips.path("percent").asDouble() : null);
      table.row(
          p.path("model").asText(),
          p.path("dataset").asText(),
          pct(miou.path("base")),
          pct(miou.path("new")),
          points(miou.path("delta")),
          num(ips.path("base")),
          num(ips.path("new")),
          percent(ips));
    }
    page.table(table);
    page.heading("mIoU change per pair");
    page.chart(
        ChartOptions.deltas("mIoU change (points)", names, accuracy),
        ChartOptions.barsHeight(names.size()),
        "delta");
    page.heading("Speed change per pair");
    page.chart(
        ChartOptions.deltas("images/s change (%)", names, speed),
        ChartOptions.barsHeight(names.size()),
        "delta");
    if (!json.path("missingPairs").isEmpty()) {
      page.heading("Pairs missing from the new benchmark");
      HtmlPage.Table missing = new HtmlPage.Table(1, "Pair");
      json.path("missingPairs").forEach(m -> missing.row(m.asText()));
      page.table(missing);
    }
  }

  private static String pct(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble() * 100) : "n/a";
  }

  private static String points(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%+.3f", n.asDouble() * 100) : "n/a";
  }

  private static String num(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble()) : "n/a";
  }

  private static String percent(JsonNode speed) {
    JsonNode p = speed.path("percent");
    return p.isNumber() ? String.format(Locale.ROOT, "%+.1f", p.asDouble()) : "n/a";
  }
}

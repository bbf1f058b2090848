package dev.segspark.jobs.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.io.OutputSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares two evaluation report folders, or two benchmark folders, and gates on regressions: an
 * accuracy figure that dropped by more than its allowed points, or images/s that fell by more than
 * the allowed percentage. Writes {@code compare.json} and {@code compare.md} into the output
 * folder, as a unit.
 */
public final class Compare {
  /** The marker file. */
  public static final String JSON = "compare.json";

  public static final String MARKDOWN = "compare.md";
  public static final String HTML = "compare.html";

  /** Per-image rows shown, largest drops first. */
  static final int TOP_IMAGES = 20;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The gates.
   *
   * @param maxDrop allowed drop in points (percentage points: 0.5 = 0.005 of IoU) per summary
   *     figure ({@code mIoU}, {@code aAcc}, ..., and {@code PQ} for benchmarks); {@code mIoU}
   *     defaults to 0 (any drop fails); a figure the compared folders do not have is an error
   * @param maxSlowdown allowed fall of images/s in percent, {@code null}: not gated
   */
  public record Gates(Map<String, Double> maxDrop, Double maxSlowdown) {
    /** The figure gated at 0 points unless {@code maxDrop} says otherwise. */
    public static final String DEFAULT_GATE = "mIoU";

    public Gates {
      maxDrop = Map.copyOf(maxDrop);
    }

    Double allowed(String figure) {
      Double allowed = maxDrop.get(figure);
      return allowed == null && figure.equals(DEFAULT_GATE) ? Double.valueOf(0) : allowed;
    }
  }

  /**
   * The outcome.
   *
   * @param kind {@code report} or {@code benchmark}
   * @param regressions what crossed a gate, one line each (empty: passed)
   * @param json the written {@code compare.json}
   */
  public record Result(String kind, List<String> regressions, ObjectNode json) {}

  private Compare() {}

  /**
   * Compares {@code base} with {@code current} and writes the comparison into {@code out}.
   *
   * @throws IllegalArgumentException when the folders are not two reports or two benchmarks, or
   *     their datasets or classes differ
   */
  public static Result run(SparkSession spark, Path base, Path current, Path out, Gates gates) {
    String kind = kind(base);
    if (!kind.equals(kind(current))) {
      throw new IllegalArgumentException(
          "Cannot compare: " + base + " is a " + kind + " folder, " + current + " is not");
    }
    JsonNode a = read(base.resolve(kind.equals("report") ? "report.json" : "benchmark.json"));
    JsonNode b = read(current.resolve(kind.equals("report") ? "report.json" : "benchmark.json"));
    ObjectNode json = MAPPER.createObjectNode();
    json.put("kind", kind);
    json.put("base", base.toAbsolutePath().toString());
    json.put("new", current.toAbsolutePath().toString());
    List<String> regressions = new ArrayList<>();
    if (kind.equals("report")) {
      reports(spark, a, b, base, current, gates, json, regressions);
    } else {
      benchmarks(a, b, gates, json, regressions);
    }
    Set<String> unknown = new TreeSet<>(gates.maxDrop().keySet());
    unknown.removeAll(figures(json));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot compare: --max-drop names figures these folders do not have ("
              + String.join(", ", unknown)
              + "; they have "
              + String.join(", ", figures(json))
              + ")");
    }
    ArrayNode r = json.putArray("regressions");
    regressions.forEach(r::add);
    json.put("passed", regressions.isEmpty());
    try (OutputSet set = OutputSet.open(out, JSON, List.of(MARKDOWN, HTML))) {
      AtomicFiles.write(set.staging().resolve(MARKDOWN), CompareText.markdown(json));
      AtomicFiles.write(set.staging().resolve(HTML), CompareHtml.page(json));
      AtomicFiles.write(set.staging().resolve(JSON), MAPPER.writeValueAsString(json));
      set.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(kind, regressions, json);
  }

  /** The figures a comparison holds: the summary's, or every pair's accuracy figures. */
  private static Set<String> figures(ObjectNode json) {
    Set<String> names = new TreeSet<>();
    json.path("summary").fieldNames().forEachRemaining(names::add);
    json.path("pairs").forEach(p -> p.path("accuracy").fieldNames().forEachRemaining(names::add));
    return names;
  }

  private static String kind(Path dir) {
    if (Files.isRegularFile(dir.resolve("report.json"))) {
      return "report";
    }
    if (Files.isRegularFile(dir.resolve("benchmark.json"))) {
      return "benchmark";
    }
    throw new IllegalArgumentException(
        "Cannot compare: "
            + dir
            + " holds neither report.json (an evaluate report) nor benchmark.json (a benchmark)");
  }

  private static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot compare: " + file + " is not readable JSON (" + e.getMessage() + ")", e);
    }
  }

  private static void reports(
      SparkSession spark,
      JsonNode a,
      JsonNode b,
      Path base,
      Path current,
      Gates gates,
      ObjectNode json,
      List<String> regressions) {
    if (!a.path("task").equals(b.path("task"))
        || !a.at("/dataset/name").equals(b.at("/dataset/name"))
        || !a.path("convention").equals(b.path("convention"))
        || !classNames(a).equals(classNames(b))) {
      throw new IllegalArgumentException(
          "Cannot compare: the reports score different datasets, conventions or classes ("
              + describe(a)
              + " vs "
              + describe(b)
              + ")");
    }
    json.put("dataset", a.at("/dataset/name").asText());
    json.put("convention", a.path("convention").asText());
    ObjectNode summary = json.putObject("summary");
    a.path("summary")
        .fieldNames()
        .forEachRemaining(
            k -> {
              JsonNode x = a.at("/summary/" + k);
              JsonNode y = b.at("/summary/" + k);
              summary.set(k, delta(x, y));
              gateDrop("", k, x, y, gates, regressions);
            });
    gateSpeed(
        "report",
        a.at("/run/imagesPerSecond"),
        b.at("/run/imagesPerSecond"),
        gates,
        json.putObject("imagesPerSecond"),
        regressions);
    List<ObjectNode> classes = new ArrayList<>();
    for (int i = 0; i < a.path("classes").size(); i++) {
      ObjectNode c = MAPPER.createObjectNode();
      c.put("name", a.path("classes").get(i).path("name").asText());
      c.setAll(delta(a.path("classes").get(i).path("iou"), b.path("classes").get(i).path("iou")));
      classes.add(c);
    }
    classes.sort(Comparator.comparingDouble(c -> c.path("delta").asDouble(0)));
    json.putArray("classes").addAll(classes);
    json.putArray("images").addAll(imageDeltas(spark, base, current));
  }

  /** Per-image mIoU deltas joined by image, largest drops first ({@value #TOP_IMAGES} shown). */
  private static List<ObjectNode> imageDeltas(SparkSession spark, Path base, Path current) {
    Path pa = base.resolve("per_image.parquet");
    Path pb = current.resolve("per_image.parquet");
    if (spark == null || !Files.isDirectory(pa) || !Files.isDirectory(pb)) {
      return List.of();
    }
    Map<String, Double> before = new HashMap<>();
    for (Row r : spark.read().parquet(pa.toString()).select("image", "meanIoU").collectAsList()) {
      before.put(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1));
    }
    List<ObjectNode> out = new ArrayList<>();
    for (Row r : spark.read().parquet(pb.toString()).select("image", "meanIoU").collectAsList()) {
      Double x = before.get(r.getString(0));
      if (x == null || r.isNullAt(1)) {
        continue;
      }
      ObjectNode n = MAPPER.createObjectNode();
      n.put("image", r.getString(0));
      n.put("base", x);
      n.put("new", r.getDouble(1));
      n.put("delta", r.getDouble(1) - x);
      out.add(n);
    }
    out.sort(
        Comparator.comparingDouble((ObjectNode n) -> n.get("delta").asDouble())
            .thenComparing(n -> n.get("image").asText()));
    return out.subList(0, Math.min(TOP_IMAGES, out.size()));
  }

  private static void benchmarks(
      JsonNode a, JsonNode b, Gates gates, ObjectNode json, List<String> regressions) {
    Map<String, JsonNode> before = new LinkedHashMap<>();
    a.path("pairs").forEach(p -> before.put(pairKey(p), p));
    ArrayNode pairs = json.putArray("pairs");
    for (JsonNode p : b.path("pairs")) {
      JsonNode q = before.remove(pairKey(p));
      if (q == null) {
        continue;
      }
      ObjectNode n = pairs.addObject();
      n.put("model", p.path("model").asText());
      n.put("dataset", p.path("dataset").asText());
      ObjectNode acc = n.putObject("accuracy");
      p.path("accuracy")
          .fieldNames()
          .forEachRemaining(
              k -> {
                JsonNode x = q.at("/accuracy/" + k);
                JsonNode y = p.at("/accuracy/" + k);
                if (!x.isNumber() && !y.isNumber()) {
                  return;
                }
                acc.set(k, delta(x, y));
                gateDrop(pairKey(p) + ": ", k, x, y, gates, regressions);
              });
      JsonNode pqBase = q.at("/pq/all/pq");
      JsonNode pqNew = p.at("/pq/all/pq");
      if (pqBase.isNumber() || pqNew.isNumber()) {
        acc.set("PQ", delta(pqBase, pqNew));
        gateDrop(pairKey(p) + ": ", "PQ", pqBase, pqNew, gates, regressions);
      }
      gateSpeed(
          p.path("model").asText() + "@" + p.path("dataset").asText(),
          q.at("/imagesPerSecond/mean"),
          p.at("/imagesPerSecond/mean"),
          gates,
          n.putObject("imagesPerSecond"),
          regressions);
      n.set(
          "forwardImagesPerSecond",
          delta(q.at("/forwardImagesPerSecond/mean"), p.at("/forwardImagesPerSecond/mean")));
    }
    ArrayNode missing = json.putArray("missingPairs");
    before.keySet().forEach(missing::add);
    for (String k : before.keySet()) {
      regressions.add(k + ": in the base benchmark, missing from the new one");
    }
  }

  /** Records a regression when figure {@code key} fell by more than its allowed points. */
  private static void gateDrop(
      String what, String key, JsonNode x, JsonNode y, Gates gates, List<String> regressions) {
    Double allowed = gates.allowed(key);
    if (allowed != null && x.isNumber() && y.isNumber()) {
      double drop = (x.asDouble() - y.asDouble()) * 100;
      if (drop > allowed + 1e-9) {
        regressions.add(
            String.format(
                Locale.ROOT,
                "%s%s dropped %.3f points (%.4f -> %.4f; allowed %.3f)",
                what,
                key,
                drop,
                x.asDouble(),
                y.asDouble(),
                allowed));
      }
    }
  }

  private static void gateSpeed(
      String what, JsonNode x, JsonNode y, Gates gates, ObjectNode node, List<String> regressions) {
    node.setAll(delta(x, y));
    if (x.isNumber() && y.isNumber() && x.asDouble() > 0) {
      double change = (y.asDouble() / x.asDouble() - 1) * 100;
      node.put("percent", change);
      if (gates.maxSlowdown() != null && -change > gates.maxSlowdown() + 1e-9) {
        regressions.add(
            String.format(
                Locale.ROOT,
                "%s: images/s fell %.1f%% (%.2f -> %.2f; allowed %.1f%%)",
                what,
                -change,
                x.asDouble(),
                y.asDouble(),
                gates.maxSlowdown()));
      }
    }
  }

  private static String pairKey(JsonNode p) {
    return p.path("model").asText() + "@" + p.path("dataset").asText();
  }

  private static ObjectNode delta(JsonNode x, JsonNode y) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("base", x.isMissingNode() ? null : x);
    n.set("new", y.isMissingNode() ? null : y);
    if (x.isNumber() && y.isNumber()) {
      n.put("delta", y.asDouble() - x.asDouble());
    } else {
      n.putNull("delta");
    }
    return n;
  }

  private static List<String> classNames(JsonNode report) {
    List<String> names = new ArrayList<>();
    report.path("classes").forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  private static String describe(JsonNode r) {
    return r.at("/dataset/name").asText("?")
        + ", "
        + r.path("convention").asText("?")
        + ", "
        + r.path("classes").size()
        + " classes";
  }
}

package dev.segspark.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * ECharts options of the report pages, as Jackson trees for {@link HtmlPage#chart}: names travel as
 * JSON strings in {@code data} arrays, never as formatter templates or markup.
 */
final class ChartOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Widest axis label in pixels; longer names are cut with an ellipsis. */
  private static final int LABEL_WIDTH = 180;

  private ChartOptions() {}

  /**
   * Horizontal bars of a score in percent, one per name, top to bottom in list order; a null score
   * has no bar. Use the {@code percent} formatter (labels and tooltip).
   *
   * @param series the score's name ({@code IoU}, {@code PQ})
   * @param names the bar labels
   * @param fractions the scores in [0, 1], or null
   */
  static ObjectNode bars(String series, List<String> names, List<Double> fractions) {
    ObjectNode option = JSON.createObjectNode();
    option
        .putObject("grid")
        .put("left", 8)
        .put("right", 56)
        .put("top", 28)
        .put("bottom", 8)
        .put("containLabel", true);
    option.putObject("tooltip").put("trigger", "item").put("confine", true);
    option
        .putObject("xAxis")
        .put("type", "value")
        .put("min", 0)
        .put("max", 100)
        .put("position", "top")
        .put("name", series + " %");
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    strings(y.putArray("data"), names);
    label(y.putObject("axisLabel").put("interval", 0));
    ObjectNode bar = option.putArray("series").addObject();
    bar.put("type", "bar").put("name", series).put("barMaxWidth", 18);
    bar.putObject("itemStyle").put("color", "#3b73b9");
    bar.putObject("label").put("show", true).put("position", "right");
    ArrayNode data = bar.putArray("data");
    for (Double f : fractions) {
      if (f == null) {
        data.add("-"); // ECharts' "no value"
      } else {
        data.add(Math.round(f * 10000) / 100.0);
      }
    }
    return option;
  }

  /** Container height for {@code n} bars. */
  static int barsHeight(int n) {
    return Math.max(160, 60 + 19 * n);
  }

  /**
   * A confusion-matrix heat-map: rows (ground truth) top to bottom, columns (prediction) left to
   * right, each cell coloured by its share of the row in percent. Each non-zero cell is {@code [x,
   * y, share, count]}: the {@code confusion} tooltip formatter shows both names, the share and the
   * raw pixel count.
   *
   * @param names the name of each row and column
   * @param counts {@code counts[gt][pred]}, square, one row per name
   * @throws IllegalArgumentException when the matrix does not match the names
   */
  static ObjectNode confusion(List<String> names, long[][] counts) {
    if (counts.length != names.size()) {
      throw new IllegalArgumentException(
          "Cannot draw confusion matrix: "
              + counts.length
              + " rows for "
              + names.size()
              + " names ("
              + names
              + ")");
    }
    ObjectNode option = JSON.createObjectNode();
    option
        .putObject("grid")
        .put("left", 8)
        .put("right", 96)
        .put("top", 28)
        .put("bottom", 8)
        .put("containLabel", true);
    option.putObject("tooltip").put("trigger", "item").put("confine", true);
    ObjectNode x = option.putObject("xAxis").put("type", "category").put("position", "top");
    x.put("name", "predicted");
    strings(x.putArray("data"), names);
    label(x.putObject("axisLabel").put("rotate", 90));
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    y.put("name", "ground truth");
    strings(y.putArray("data"), names);
    label(y.putObject("axisLabel"));
    ObjectNode map = option.putObject("visualMap");
    map.put("min", 0).put("max", 100).put("dimension", 2).put("calculable", true);
    map.put("orient", "vertical").put("right", 0).put("top", "middle").put("itemHeight", 240);
    map.putArray("text").add("% of row").add("");
    map.putObject("inRange").putArray("color").add("#f4f8fc").add("#6aaed6").add("#08306b");
    ObjectNode series = option.putArray("series").addObject();
    series.put("type", "heatmap").put("name", "share of the ground-truth row");
    series.putObject("emphasis").putObject("itemStyle").put("borderColor", "#d62728");
    ArrayNode data = series.putArray("data");
    for (int g = 0; g < counts.length; g++) {
      long row = 0;
      for (long v : counts[g]) {
        row += v;
      }
      for (int p = 0; p < counts[g].length && row > 0; p++) {
        if (counts[g][p] != 0) {
          double share = Math.round(counts[g][p] * 10000.0 / row) / 100.0;
          data.addArray().add(p).add(g).add(share).add(counts[g][p]);
        }
      }
    }
    return option;
  }

  /** Container height for an {@code n} x {@code n} heat-map. */
  static int confusionHeight(int n) {
    return Math.max(360, 180 + 17 * n);
  }

  private static void strings(ArrayNode array, List<String> values) {
    for (String v : values) {
      array.add(v);
    }
  }

  private static void label(ObjectNode axisLabel) {
    axisLabel.put("width", LABEL_WIDTH).put("overflow", "truncate");
  }
}

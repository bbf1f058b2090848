package dev.segspark.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ECharts options of the report pages, as Jackson trees for {@link HtmlPage#chart}: names travel as
 * JSON strings in {@code data} arrays, never as formatter templates or markup. Each builder names
 * the tooltip formatter of {@link HtmlPage#FORMATTERS} to draw it with.
 */
public final class ChartOptions {
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
  public static ObjectNode bars(String series, List<String> names, List<Double> fractions) {
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
  public static int barsHeight(int n) {
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
  public static ObjectNode confusion(List<String> names, long[][] counts) {
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
  public static int confusionHeight(int n) {
    return Math.max(360, 180 + 17 * n);
  }

  /**
   * Accuracy against speed: one point per name at {@code (x, y)} (y a score in [0, 1], shown in
   * percent) and, as a line, the Pareto front: the points that no other point beats on both axes.
   * Use the {@code point} formatter.
   *
   * @param xName the x axis name ({@code images/s})
   * @param yName the score's name ({@code mIoU})
   */
  public static ObjectNode scatter(
      String xName, String yName, List<String> names, double[] x, double[] y) {
    boolean[] front = paretoFront(x, y);
    ObjectNode option = JSON.createObjectNode();
    option
        .putObject("grid")
        .put("left", 16)
        .put("right", 160)
        .put("top", 40)
        .put("bottom", 36)
        .put("containLabel", true);
    option.putObject("tooltip").put("trigger", "item").put("confine", true);
    option.putObject("legend").put("top", 0);
    option
        .putObject("xAxis")
        .put("type", "value")
        .put("name", xName)
        .put("scale", true)
        .put("nameLocation", "middle")
        .put("nameGap", 28);
    option.putObject("yAxis").put("type", "value").put("name", yName + " %").put("scale", true);
    ArrayNode series = option.putArray("series");
    ObjectNode points = series.addObject();
    points.put("type", "scatter").put("name", "pairs").put("symbolSize", 12);
    points.putObject("label").put("show", true).put("position", "right");
    ObjectNode line = series.addObject();
    line.put("type", "line").put("name", "Pareto front").put("symbolSize", 6);
    line.putObject("lineStyle").put("type", "dashed");
    List<Integer> onFront = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      point(points.withArray("data"), names.get(i), x[i], y[i]);
      if (front[i]) {
        onFront.add(i);
      }
    }
    onFront.sort(Comparator.comparingDouble(i -> x[i]));
    ArrayNode data = line.putArray("data");
    for (int i : onFront) {
      point(data, names.get(i), x[i], y[i]);
    }
    return option;
  }

  private static void point(ArrayNode data, String name, double x, double y) {
    ObjectNode p = data.addObject().put("name", name);
    p.putArray("value").add(Math.round(x * 100) / 100.0).add(Math.round(y * 10000) / 100.0);
  }

  /**
   * The Pareto front of points where more is better on both axes: {@code front[i]} unless another
   * point is at least as good on both and better on one. A point with a NaN coordinate is never on
   * it and beats none.
   */
  public static boolean[] paretoFront(double[] x, double[] y) {
    boolean[] front = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      front[i] = !Double.isNaN(x[i]) && !Double.isNaN(y[i]);
      for (int j = 0; j < x.length && front[i]; j++) {
        boolean dominates =
            x[j] >= x[i] && y[j] >= y[i] && (x[j] > x[i] || y[j] > y[i]) && !Double.isNaN(y[j]);
        front[i] = !dominates;
      }
    }
    return front;
  }

  /**
   * Horizontal stacked bars: one bar per name (top to bottom), one segment per part, {@code
   * values[part][name]} in milliseconds. Use the {@code stages} formatter.
   */
  public static ObjectNode stacked(List<String> names, List<String> parts, double[][] values) {
    ObjectNode option = JSON.createObjectNode();
    option
        .putObject("grid")
        .put("left", 8)
        .put("right", 32)
        .put("top", 40)
        .put("bottom", 8)
        .put("containLabel", true);
    option.putObject("tooltip").put("trigger", "axis").put("confine", true);
    option.putObject("legend").put("top", 0);
    option.putObject("xAxis").put("type", "value").put("position", "top").put("name", "ms / image");
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    strings(y.putArray("data"), names);
    label(y.putObject("axisLabel").put("interval", 0));
    ArrayNode series = option.putArray("series");
    for (int p = 0; p < parts.size(); p++) {
      ObjectNode s = series.addObject();
      s.put("type", "bar").put("name", parts.get(p)).put("stack", "total").put("barMaxWidth", 22);
      ArrayNode data = s.putArray("data");
      for (double v : values[p]) {
        if (Double.isNaN(v)) {
          data.add("-");
        } else {
          data.add(Math.round(v * 100) / 100.0);
        }
      }
    }
    return option;
  }

  /**
   * A heat-map of scores in percent: rows top to bottom, columns left to right, {@code
   * fractions.get(row).get(column)} in [0, 1] or null (no cell). Each cell is {@code [column, row,
   * percent]}. Use the {@code matrix} formatter.
   */
  public static ObjectNode matrix(
      String score, List<String> rows, List<String> columns, List<List<Double>> fractions) {
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
    strings(x.putArray("data"), columns);
    label(x.putObject("axisLabel").put("rotate", 90).put("interval", 0));
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    strings(y.putArray("data"), rows);
    label(y.putObject("axisLabel").put("interval", 0));
    ObjectNode map = option.putObject("visualMap");
    map.put("min", 0).put("max", 100).put("dimension", 2).put("calculable", true);
    map.put("orient", "vertical").put("right", 0).put("top", "middle").put("itemHeight", 200);
    map.putArray("text").add(score + " %").add("");
    map.putObject("inRange").putArray("color").add("#d73027").add("#fee08b").add("#1a9850");
    ObjectNode series = option.putArray("series").addObject();
    series.put("type", "heatmap").put("name", score);
    series.putObject("label").put("show", rows.size() * columns.size() <= 400);
    ArrayNode data = series.putArray("data");
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        Double f = fractions.get(r).get(c);
        if (f != null && !f.isNaN()) {
          data.addArray().add(c).add(r).add(Math.round(f * 1000) / 10.0);
        }
      }
    }
    return option;
  }

  /** Container height for a heat-map of {@code rows} rows with long column labels. */
  public static int matrixHeight(int rows) {
    return Math.max(260, 220 + 26 * rows);
  }

  /**
   * Horizontal bars of signed changes in points, one per name (top to bottom), red below zero and
   * green above. Use the {@code delta} formatter.
   */
  public static ObjectNode deltas(String series, List<String> names, List<Double> points) {
    ObjectNode option = JSON.createObjectNode();
    option
        .putObject("grid")
        .put("left", 8)
        .put("right", 56)
        .put("top", 28)
        .put("bottom", 8)
        .put("containLabel", true);
    option.putObject("tooltip").put("trigger", "item").put("confine", true);
    option.putObject("xAxis").put("type", "value").put("position", "top").put("name", series);
    ObjectNode y = option.putObject("yAxis").put("type", "category").put("inverse", true);
    strings(y.putArray("data"), names);
    label(y.putObject("axisLabel").put("interval", 0));
    ObjectNode bar = option.putArray("series").addObject();
    bar.put("type", "bar").put("name", series).put("barMaxWidth", 18);
    ArrayNode data = bar.putArray("data");
    for (Double d : points) {
      if (d == null || d.isNaN()) {
        data.add("-");
        continue;
      }
      ObjectNode item = data.addObject().put("value", Math.round(d * 1000) / 1000.0);
      item.putObject("itemStyle").put("color", d < 0 ? "#cf222e" : "#1a7f37");
    }
    return option;
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

package dev.segspark.evaluation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One self-contained HTML page of a report: headings, paragraphs, tables and Apache ECharts charts,
 * with the ECharts library inlined from its webjar, so the file opens offline and fetches nothing
 * (a Content-Security-Policy forbids it). Every text goes through {@link ReportEscapes#html}; each
 * chart's option is a Jackson tree placed in one JSON script block through {@link
 * ReportEscapes#scriptJson}, so no name from the data reaches the page as markup or code.
 *
 * <p>Charts are drawn with animation off. When every chart has fired its {@code finished} event,
 * the page sets {@code data-charts-rendered="<number of charts>"} on {@code <body>} (at once when
 * there is none): the signal browser tests and screenshot tools wait for.
 */
public final class HtmlPage {
  /**
   * Formatters the page script defines, by name (see {@link #chart}): {@code percent} shows bar
   * labels with 2 decimals and a "name, series value %" tooltip; {@code confusion} a heat-map
   * cell's row and column names, share of the row and count; {@code point} a scatter point's name
   * (also its label) and both values; {@code stages} an axis tooltip of stacked parts and their
   * total; {@code matrix} a score heat-map cell's row, column and value; {@code delta} a signed
   * change.
   */
  public static final Set<String> FORMATTERS =
      Set.of("percent", "confusion", "point", "stages", "matrix", "delta");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ECHARTS_POM =
      "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

  private static final String CSP =
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;\
      max-width:1200px;margin:24px auto;padding:0 16px}
      h1{font-size:22px;margin:0 0 12px}
      h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
      table{border-collapse:collapse;margin:6px 0 10px}
      th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top;\
      white-space:pre-wrap;overflow-wrap:anywhere;max-width:520px}
      thead th{background:#f6f8fa;border-bottom:1px solid #d0d7de;white-space:nowrap;\
      overflow-wrap:normal}
      tbody th{font-weight:600;color:#57606a}
      .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      .chart{width:100%}
      .note{color:#57606a}
      table.sortable thead th{cursor:pointer;user-select:none}
      th[aria-sort=descending]::after{content:" \\25BC"}
      th[aria-sort=ascending]::after{content:" \\25B2"}
      """;

  private static final String SCRIPT =
      """
      (function () {
        'use strict';
        var esc = function (s) {
          return String(s).replace(/[&<>"']/g, function (c) {
            return '&#' + c.charCodeAt(0) + ';';
          });
        };
        var fixed = function (p) {
          return typeof p.value === 'number' ? p.value.toFixed(2) : '';
        };
        var formatters = {
          percent: function (option) {
            option.series.forEach(function (s) {
              if (s.label) { s.label.formatter = fixed; }
            });
            return function (p) {
              var v = typeof p.value === 'number' ? p.value.toFixed(2) + ' %' : 'n/a';
              return esc(p.name) + '<br>' + esc(p.seriesName) + ' ' + v;
            };
          },
          confusion: function (option) {
            var pred = option.xAxis.data;
            var gt = option.yAxis.data;
            return function (p) {
              var v = p.value;
              return 'ground truth ' + esc(gt[v[1]]) + '<br>predicted ' + esc(pred[v[0]])
                + '<br>' + v[2].toFixed(2) + ' % of the row, ' + v[3] + ' pixels';
            };
          },
          point: function (option) {
            option.series.forEach(function (s) {
              if (s.label) { s.label.formatter = function (p) { return p.name; }; }
            });
            return function (p) {
              return esc(p.name) + '<br>' + esc(option.xAxis.name) + ' ' + p.value[0].toFixed(2)
                + '<br>' + esc(option.yAxis.name) + ' ' + p.value[1].toFixed(2);
            };
          },
          stages: function (option) {
            return function (ps) {
              var total = 0;
              var lines = ps.map(function (p) {
                var v = typeof p.value === 'number' ? p.value : 0;
                total += v;
                return esc(p.seriesName) + ' ' + v.toFixed(2);
              });
              return esc(ps.length ? ps[0].name : '') + '<br>' + lines.join('<br>')
                + '<br>total ' + total.toFixed(2) + ' ' + esc(option.xAxis.name);
            };
          },
          matrix: function (option) {
            var cols = option.xAxis.data;
            var rows = option.yAxis.data;
            return function (p) {
              var v = p.value;
              return esc(rows[v[1]]) + '<br>' + esc(cols[v[0]]) + '<br>' + esc(p.seriesName)
                + ' ' + v[2].toFixed(1) + ' %';
            };
          },
          delta: function (option) {
            return function (p) {
              var v = typeof p.value === 'number' ? p.value : NaN;
              return esc(p.name) + '<br>' + esc(p.seriesName) + ' '
                + (isNaN(v) ? 'n/a' : (v > 0 ? '+' : '') + v.toFixed(3));
            };
          }
        };
        var sortable = function (table) {
          var heads = table.querySelectorAll('thead th');
          Array.prototype.forEach.call(heads, function (th, column) {
            th.setAttribute('tabindex', '0');
            th.addEventListener('click', function () {
              var down = th.getAttribute('aria-sort') !== 'descending';
              Array.prototype.forEach.call(heads, function (h) {
                h.removeAttribute('aria-sort');
              });
              th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
              var numeric = th.classList.contains('num');
              var key = function (row) {
                var t = row.cells[column].textContent;
                if (!numeric) { return t; }
                var v = parseFloat(t.replace(/,/g, ''));
                return isNaN(v) ? -Infinity : v;
              };
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = key(a);
                var y = key(b);
                var c = x < y ? -1 : x > y ? 1 : 0;
                return down ? -c : c;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            });
          });
        };
        Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);
        var specs = JSON.parse(document.getElementById('segspark-charts').textContent);
        var drawn = 0;
        var finished = specs.map(function () { return false; });
        var signal = function () {
          document.body.setAttribute('data-charts-rendered', String(drawn));
        };
        specs.forEach(function (spec, i) {
          var chart = echarts.init(document.getElementById(spec.id));
          chart.on('finished', function () {
            if (!finished[i]) {
              finished[i] = true;
              drawn++;
              if (drawn === specs.length) { signal(); }
            }
          });
          if (spec.formatter) {
            spec.option.tooltip.formatter = formatters[spec.formatter](spec.option);
          }
          chart.setOption(spec.option);
          window.addEventListener('resize', function () { chart.resize(); });
        });
        if (specs.length === 0) { signal(); }
      })();
      """;

  private final String title;
  private final StringBuilder body = new StringBuilder();
  private final ArrayNode charts = JSON.createArrayNode();

  /**
   * A page with a title, shown as the first heading too.
   *
   * @param title the page title (escaped)
   */
  public HtmlPage(String title) {
    this.title = title;
    body.append("<h1>").append(ReportEscapes.html(title)).append("</h1>\n");
  }

  /** Adds a section heading. */
  public HtmlPage heading(String text) {
    body.append("<h2>").append(ReportEscapes.html(text)).append("</h2>\n");
    return this;
  }

  /** Adds a paragraph of text. */
  public HtmlPage paragraph(String text) {
    body.append("<p>").append(ReportEscapes.html(text)).append("</p>\n");
    return this;
  }

  /** Adds a paragraph of secondary text (explanations under a chart or table). */
  public HtmlPage note(String text) {
    body.append("<p class=\"note\">").append(ReportEscapes.html(text)).append("</p>\n");
    return this;
  }

  /**
   * Adds a two-column table of facts: each key and its value as text ({@link #text}).
   *
   * @param facts name to value, in the map's order
   */
  public HtmlPage facts(Map<String, ?> facts) {
    body.append("<table class=\"facts\"><tbody>\n");
    for (Map.Entry<String, ?> e : facts.entrySet()) {
      body.append("<tr><th scope=\"row\">")
          .append(ReportEscapes.html(e.getKey()))
          .append("</th><td>")
          .append(ReportEscapes.html(text(e.getValue())))
          .append("</td></tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /** Adds a table. */
  public HtmlPage table(Table table) {
    body.append(table.sortable ? "<table class=\"sortable\"><thead><tr>" : "<table><thead><tr>");
    for (int c = 0; c < table.header.size(); c++) {
      body.append(table.cell("th", c, table.header.get(c)));
    }
    body.append("</tr></thead><tbody>\n");
    for (List<String> row : table.rows) {
      body.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        body.append(table.cell("td", c, row.get(c)));
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /**
   * Adds a chart: a container of the page's width and {@code height} pixels, drawn by ECharts with
   * {@code option} (animation is turned off here).
   *
   * @param option the ECharts option; must have a {@code tooltip} object when a formatter is named
   * @param height the container height in pixels
   * @param formatter a formatter of {@link #FORMATTERS}, or null for ECharts' defaults
   * @throws IllegalArgumentException for an unknown formatter or a formatter without tooltip
   */
  public HtmlPage chart(ObjectNode option, int height, String formatter) {
    if (formatter != null && !FORMATTERS.contains(formatter)) {
      throw new IllegalArgumentException(
          "Cannot add chart: unknown tooltip formatter (" + formatter + ")");
    }
    if (formatter != null && !option.path("tooltip").isObject()) {
      throw new IllegalArgumentException(
          "Cannot add chart: a tooltip formatter needs a tooltip object (" + formatter + ")");
    }
    String id = "chart-" + charts.size();
    option.put("animation", false);
    ObjectNode spec = charts.addObject().put("id", id);
    spec.set("option", option);
    if (formatter != null) {
      spec.put("formatter", formatter);
    }
    body.append(
        String.format(
            Locale.ROOT,
            "<div class=\"chart\" id=\"%s\" style=\"height:%dpx\"></div>%n",
            id,
            height));
    return this;
  }

  /** The number of charts added so far. */
  public int charts() {
    return charts.size();
  }

  /** The whole page: head, body, chart options, the inlined ECharts and the page script. */
  public String render() {
    String echarts = EchartsHolder.SCRIPT;
    StringBuilder page = new StringBuilder(echarts.length() + body.length() + 8192);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(CSP)
        .append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"segspark\">\n")
        .append("<title>")
        .append(ReportEscapes.html(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n")
        .append(body)
        .append("<script type=\"application/json\" id=\"segspark-charts\">")
        .append(ReportEscapes.scriptJson(json(charts)))
        .append("</script>\n<script>\n")
        .append(echarts)
        .append("\n</script>\n<script>\n")
        .append(SCRIPT)
        .append("</script>\n</body>\n</html>\n");
    return page.toString();
  }

  /**
   * A value as table text: null as {@code n/a}; doubles to 5 significant digits; maps and lists as
   * JSON; anything else as {@code toString()}.
   */
  static String text(Object value) {
    if (value == null) {
      return "n/a";
    }
    if ((value instanceof Double || value instanceof Float)
        && Double.isFinite(((Number) value).doubleValue())) {
      return new BigDecimal(((Number) value).doubleValue())
          .round(new MathContext(5))
          .stripTrailingZeros()
          .toPlainString();
    }
    if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
      return json(JSON.valueToTree(value));
    }
    return value.toString();
  }

  private static String json(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise chart options: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the inlined Apache ECharts script now (about 1 MB read from its jar and checked), so that
   * a thread with nothing else to do can take that off the first page rendered.
   */
  public static void preload() {
    if (EchartsHolder.SCRIPT.isEmpty()) {
      throw new IllegalStateException("Apache ECharts script is empty");
    }
  }

  /**
   * Whether {@code script} holds {@code </script} in any ASCII case, the end tag an HTML parser
   * would stop the inlined script at (a scan, not a lower-cased copy of a megabyte).
   */
  static boolean closesScript(String script) {
    String tag = "script";
    for (int at = script.indexOf("</"); at >= 0; at = script.indexOf("</", at + 2)) {
      int i = 0;
      while (i < tag.length()
          && at + 2 + i < script.length()
          && (script.charAt(at + 2 + i) | 0x20) == tag.charAt(i)) {
        i++;
      }
      if (i == tag.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A table: a header and rows of text cells. The first {@code textColumns} columns are text, the
   * rest are numbers (aligned right).
   */
  public static final class Table {
    private final List<String> header;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();
    private boolean sortable;

    /**
     * An empty table.
     *
     * @param textColumns how many leading columns hold text; the others hold numbers
     * @param header the column names
     */
    public Table(int textColumns, String... header) {
      this.header = List.of(header);
      this.textColumns = textColumns;
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException when it has not one cell per column
     */
    public Table row(String... cells) {
      if (cells.length != header.size()) {
        throw new IllegalArgumentException(
            "Cannot add table row: "
                + cells.length
                + " cells for "
                + header.size()
                + " columns ("
                + Arrays.toString(cells)
                + ")");
      }
      rows.add(Arrays.asList(cells.clone()));
      return this;
    }

    /**
     * Makes the table sortable in the browser: a click on a column heading sorts the rows by that
     * column, descending first, then ascending (numbers as numbers, {@code n/a} lowest).
     */
    public Table sortable() {
      sortable = true;
      return this;
    }

    /** The number of rows. */
    public int size() {
      return rows.size();
    }

    private String cell(String tag, int column, String text) {
      String open = column < textColumns ? "<" + tag + ">" : "<" + tag + " class=\"num\">";
      return open + ReportEscapes.html(text) + "</" + tag + ">";
    }
  }

  /** ECharts' minified build, read from its webjar once, when the first page renders. */
  private static final class EchartsHolder {
    static final String SCRIPT = load();

    private static String load() {
      String version = version();
      String path = "/META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js";
      String script = resource(path);
      if (closesScript(script)) {
        throw new IllegalStateException(
            "Cannot inline Apache ECharts: its script contains a closing script tag ("
                + path
                + ")");
      }
      return script;
    }

    private static String version() {
      Properties pom = new Properties();
      try (InputStream in = HtmlPage.class.getResourceAsStream(ECHARTS_POM)) {
        if (in == null) {
          throw new IllegalStateException(
              "Cannot build an HTML report: Apache ECharts is not on the classpath"
                  + " (org.webjars.npm:echarts, "
                  + ECHARTS_POM
                  + ")");
        }
        pom.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + ECHARTS_POM + ": " + e.getMessage(), e);
      }
      return pom.getProperty("version");
    }

    private static String resource(String path) {
      try (InputStream in = HtmlPage.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException(
              "Cannot build an HTML report: Apache ECharts is not on the classpath (" + path + ")");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + path + ": " + e.getMessage(), e);
      }
    }
  }
}

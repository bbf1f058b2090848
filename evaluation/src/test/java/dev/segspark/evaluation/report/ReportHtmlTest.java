package dev.segspark.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.ConfusionMatrix;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.panoptic.PanopticCategories;
import dev.segspark.evaluation.panoptic.PanopticCategory;
import dev.segspark.evaluation.panoptic.PqResult;
import dev.segspark.evaluation.panoptic.PqStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser (headless Chromium): every chart draws ({@code
 * data-charts-rendered} on {@code <body>} equals the number of chart containers), nothing is logged
 * to the console, nothing is fetched, and hostile names from the data show as their exact text in
 * tables and tooltips without adding a single element.
 */
class ReportHtmlTest {
  /** Names that break out of HTML text, attributes, script blocks or JS strings if unescaped. */
  static final List<String> HOSTILE =
      List.of(
          "</script><script>alert(1)</script>",
          "\"quotes'",
          "&amp;",
          "line\u2028separator\u2029paragraph",
          "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
          "<!--<script>",
          "'); alert(2); ('",
          "{a|rich} ${x} \\u003c",
          "two\nlines");

  @TempDir Path dir;

  /** Cityscapes under its own convention: 19 classes, a 34 x 34 matrix, categories. */
  static SemanticReport cityscapes() {
    LabelTable table = LabelTables.builtIn("cityscapes");
    EvalSpace space = EvalSpace.of(Convention.CITYSCAPES, table, PredictionIds.LABEL_IDS);
    return report(space, "cityscapes", "/data/cityscapes", run());
  }

  private static SemanticReport report(
      EvalSpace space, String name, String root, Map<String, Object> run) {
    ConfusionMatrix m = new ConfusionMatrix(space.size());
    boolean[] evaluated = space.evaluatedRows();
    for (int i = 0; i < space.size(); i++) {
      if (evaluated[i]) {
        m.add(i, i, 1000L * (i + 1));
        m.add(i, (i + 1) % space.size(), 150L * (i % 5));
        m.add(i, (i + 3) % space.size(), 40);
      }
    }
    return new SemanticReport(
        new DatasetInfo(name, root, "val", 20),
        SemanticMetrics.compute(space, m, null),
        space.indexIds(),
        m,
        List.of(),
        run);
  }

  private static Map<String, Object> run() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("seconds", 12.3456789);
    run.put("imagesPerSecond", 1.62);
    run.put("images", 20);
    run.put("master", "local[2]");
    run.put("model", "segformer-synth");
    run.put("inferenceImagesPerSecond", null);
    return run;
  }

  static PanopticReport panoptic(List<String> names, boolean withSemantic) {
    List<PanopticCategory> list = new ArrayList<>();
    PqStats stats = new PqStats();
    for (int i = 0; i < names.size(); i++) {
      list.add(new PanopticCategory(i + 1, names.get(i), i % 2 == 0));
      stats.addTruePositive(i + 1, 8, 10 + i);
      stats.addFalsePositive(i + 1);
    }
    SemanticReport semantic = null;
    if (withSemantic) {
      LabelTable table = LabelTables.ofClasses("categories", 255, names);
      EvalSpace space = EvalSpace.of(Convention.MMSEG, table, PredictionIds.TRAIN_IDS);
      semantic = report(space, "categories", "/gt", Map.of());
    }
    return new PanopticReport(
        new DatasetInfo("coco-panoptic", "/gt", "", 3),
        PqResult.of(stats, new PanopticCategories(list)),
        semantic,
        List.of(new ImageError("b.png", "Cannot read b.png: truncated")),
        Map.of("seconds", 2.5));
  }

  @Test
  void semanticPageDrawsBothChartsWithoutConsoleMessages() throws IOException {
    List<WorstImage> worst =
        List.of(
            new WorstImage("frankfurt_000000_000294", 0.3125, 0.8),
            new WorstImage("lindau_000001_000019", null, null));
    ReportFiles.write(cityscapes(), worst, dir);
    Path html = dir.resolve(ReportFiles.HTML);

    HeadlessBrowser.Page page = HeadlessBrowser.load(html);

    assertThat(page.console()).isEmpty();
    HeadlessBrowser.assertChartsDrawn(page, 2);
    assertThat(page.markup())
        .contains("<td>traffic sign</td>")
        .contains("<td>frankfurt_000000_000294</td><td class=\"num\">31.25</td>")
        .contains("<td>lindau_000001_000019</td><td class=\"num\">n/a</td>")
        .contains("<th scope=\"row\">model</th><td>segformer-synth</td>")
        .contains("<th scope=\"row\">seconds</th><td>12.346</td>")
        .contains("Labels without a pixel in ground truth or prediction are left out (");
    HeadlessBrowser.assertSelfContained(page);
    assertThat(Files.size(html)).isBetween(1_000_000L, 1_300_000L);
  }

  @Test
  void panopticPagesDrawTheirCharts() throws IOException {
    List<String> names = List.of("person", "car", "road", "sky");
    PanopticReportWriter.write(panoptic(names, true), dir);
    HeadlessBrowser.Page both = HeadlessBrowser.load(dir.resolve(ReportFiles.HTML));
    assertThat(both.console()).isEmpty();
    HeadlessBrowser.assertChartsDrawn(
        both, 3); // PQ bars, then the semantic IoU bars and confusion heat-map
    assertThat(both.markup()).contains("<td>Cannot read b.png: truncated</td>");
    HeadlessBrowser.assertSelfContained(both);

    Path alone = Files.createDirectories(dir.resolve("alone"));
    PanopticReportWriter.write(panoptic(names, false), alone);
    HeadlessBrowser.Page pq = HeadlessBrowser.load(alone.resolve(ReportFiles.HTML));
    assertThat(pq.console()).isEmpty();
    HeadlessBrowser.assertChartsDrawn(pq, 1);
  }

  @Test
  void pageWithoutChartsSignalsZero() throws IOException {
    Path html = dir.resolve("empty.html");
    Files.writeString(html, new HtmlPage("nothing to draw").paragraph("text").render());
    HeadlessBrowser.assertChartsDrawn(HeadlessBrowser.load(html), 0);
  }

  /**
   * Hostile class names, image ids, paths, errors and run facts: the page shows each as its exact
   * text, in the class table, the worst-images table and the tooltips of both charts, and no
   * script, image or attribute of theirs reaches the DOM.
   */
  @Test
  void hostileNamesShowLiterallyAndInjectNothing() throws IOException {
    LabelTable table = LabelTables.ofClasses("hostile", 255, HOSTILE);
    EvalSpace space = EvalSpace.of(Convention.MMSEG, table, PredictionIds.TRAIN_IDS);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("model", HOSTILE.get(0));
    run.put(HOSTILE.get(4), HOSTILE.get(1));
    SemanticReport report = report(space, HOSTILE.get(2), HOSTILE.get(0), run);
    List<WorstImage> worst = new ArrayList<>();
    for (String name : HOSTILE) {
      worst.add(new WorstImage("img " + name, 0.5, 0.5));
    }
    ReportFiles.write(report, worst, dir);
    // show the tooltip of every bar and of every diagonal heat-map cell, and record its text and
    // any element that is not the tooltip's own markup
    String probe =
        """
        setTimeout(function () {
          var charts = document.querySelectorAll('.chart');
          var out = [];
          [0, 1].forEach(function (c) {
            var chart = echarts.getInstanceByDom(charts[c]);
            var n = chart.getOption().series[0].data.length;
            for (var i = 0; i < n; i++) {
              var d = chart.getOption().series[0].data[i];
              if (c === 1 && d[0] !== d[1]) { continue; }
              chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i});
              var tips = charts[c].querySelectorAll('div');
              var tip = tips[tips.length - 1];
              var pre = document.createElement('pre');
              pre.className = 'probe';
              pre.setAttribute('data-foreign', String(
                  tip.querySelectorAll('img,script,iframe,svg,a,h1,style').length));
              pre.textContent = tip.textContent;
              out.push(pre);
            }
          });
          out.forEach(function (p) { document.body.appendChild(p); });
        }, 1000);
        """;

    HeadlessBrowser.Page page = HeadlessBrowser.load(dir.resolve(ReportFiles.HTML), probe);

    assertThat(page.console()).isEmpty();
    HeadlessBrowser.assertChartsDrawn(page, 2);
    String dom = page.markup();
    for (String name : HOSTILE) {
      assertThat(dom).contains("<td>" + HeadlessBrowser.text(name) + "</td>");
      assertThat(dom).contains("<td>" + HeadlessBrowser.text("img " + name) + "</td>");
    }
    assertThat(dom).contains("<th scope=\"row\">" + HeadlessBrowser.text(HOSTILE.get(4)) + "</th>");
    assertThat(dom)
        .contains("<td>" + HeadlessBrowser.text(HOSTILE.get(0)) + "</td>"); // dataset root, model
    assertThat(dom).contains("<title>segspark semantic evaluation</title>");
    // the hook, the chart options, ECharts, the page script and the probe: nothing else
    assertThat(page.elements("script")).isEqualTo(5);
    assertThat(page.elements("img")).isZero();
    assertThat(dom).doesNotContainPattern("<[^>]*\\sdata-pwned=");
    List<String> tooltips = HeadlessBrowser.probes(dom);
    assertThat(tooltips).hasSize(2 * HOSTILE.size());
    assertThat(dom).doesNotContain("data-foreign=\"1\"");
    for (int i = 0; i < HOSTILE.size(); i++) {
      String name = HeadlessBrowser.text(HOSTILE.get(i));
      assertThat(tooltips.get(i)).startsWith(name).contains("IoU");
      assertThat(tooltips.get(HOSTILE.size() + i))
          .startsWith("ground truth " + name + "predicted " + name)
          .contains(" pixels");
    }
  }

  @Test
  void pageTextAndScriptJsonAreEscapedInTheFile() throws IOException {
    String html = HtmlReports.semantic(hostileReport(), List.of());
    String head = html.substring(0, html.indexOf("<script>\n"));
    assertThat(head).doesNotContain("</script><script>alert");
    assertThat(head).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(head).contains("&quot;quotes&#39;").contains("&amp;amp;");
    String json =
        head.substring(head.indexOf("id=\"segspark-charts\">"), head.lastIndexOf("</script>"));
    assertThat(json)
        .doesNotContain("<")
        .doesNotContain("\u2028")
        .doesNotContain("\u2029")
        .contains("\\u003C/script\\u003E")
        .contains("\\u2028");
    assertThat(ReportEscapes.scriptJson("{\"a\":\"</script>&\u2028\"}"))
        .isEqualTo("{\"a\":\"\\u003C/script\\u003E\\u0026\\u2028\"}");
    assertThat(ReportEscapes.html("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }

  private static SemanticReport hostileReport() {
    LabelTable table = LabelTables.ofClasses("hostile", 255, HOSTILE);
    EvalSpace space = EvalSpace.of(Convention.MMSEG, table, PredictionIds.TRAIN_IDS);
    return report(space, "hostile", "/data", Map.of());
  }

  /** The matrix of a table whose unevaluated ids have no class get an "id n" name. */
  @Test
  void matrixNamesFollowTheConvention() {
    List<String> names = cityscapes().matrixNames();
    assertThat(names).hasSize(34);
    assertThat(names.get(0)).isEqualTo("id 0");
    assertThat(names.get(7)).isEqualTo("road");
    assertThat(names.get(33)).isEqualTo("bicycle");
    LabelTable table =
        new LabelTable(
            "t",
            255,
            List.of(
                new Label("b", 5, 1, "", 0, false, false, 0),
                new Label("a", 9, 0, "", 0, false, false, 0)),
            Map.of());
    EvalSpace space = EvalSpace.of(Convention.MMSEG, table, PredictionIds.TRAIN_IDS);
    assertThat(report(space, "t", "/t", Map.of()).matrixNames()).containsExactly("a", "b");
  }

  /** The inlined ECharts script is refused if an HTML parser would end it early, in any case. */
  @Test
  void aClosingScriptTagInAnyAsciiCaseIsFound() {
    assertThat(HtmlPage.closesScript("var a = 1; // </script> here")).isTrue();
    assertThat(HtmlPage.closesScript("x</ScRiPt")).isTrue();
    assertThat(HtmlPage.closesScript("</SCRIPT")).isTrue();
    assertThat(HtmlPage.closesScript("a </ b </scrip t </scripx")).isFalse();
    assertThat(HtmlPage.closesScript("'<' + '/script>' </div></scr")).isFalse();
    assertThat(HtmlPage.closesScript("")).isFalse();
  }
}

package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.report.HeadlessBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmark.html} and {@code compare.html} in headless Chromium, from a real benchmark of
 * two models with hostile names on a dataset with a hostile name: every chart draws, no console
 * error, each name shows as its literal text in the table and in the tooltips, nothing injected;
 * the results table sorts by a click.
 */
class BenchmarkHtmlTest extends SparkTestBase {
  static final String SCRIPT = "</script><script>alert(1)</script>";
  static final String IMG =
      "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\"> & 'q'";
  static final String DATASET = "\"d\" <b>&amp;</b>";

  @TempDir static Path tmp;
  static Path bench;

  @BeforeAll
  static void benchmark() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path plan =
        Files.writeString(
            tmp.resolve("plan.yaml"),
            "name: html-plan\nrepeats: 1\nwarmup: 0\ndatasets:\n  - {name: "
                + json.writeValueAsString(DATASET)
                + ", dataset: cityscapes, root: "
                + tmp.resolve("data")
                + ", synth: {images: 3, seed: 2032, size: 256x512}}\n"
                + "models:\n  - {spec: segformer-synth, name: "
                + json.writeValueAsString(SCRIPT)
                + "}\n  - {spec: detr-panoptic-synth, name: "
                + json.writeValueAsString(IMG)
                + "}\n");
    bench = tmp.resolve("bench");
    CliRun run = CliRun.of("benchmark", "--plan", plan.toString(), "--out", bench.toString());
    assertThat(run.code()).as(run.err()).isZero();
  }

  /** Shows the tooltip of the first item of charts 0-2 and records its text, then sorts. */
  private static final String PROBE =
      """
      setTimeout(function () {
        var charts = document.querySelectorAll('.chart');
        var pre = function (text, foreign) {
          var p = document.createElement('pre');
          p.className = 'probe';
          p.setAttribute('data-foreign', String(foreign));
          p.textContent = text;
          document.body.appendChild(p);
        };
        [0, 1, 2].forEach(function (c) {
          var chart = echarts.getInstanceByDom(charts[c]);
          chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
          var tips = charts[c].querySelectorAll('div');
          var tip = tips[tips.length - 1];
          pre(tip.textContent, tip.querySelectorAll('img,script,iframe,svg,a,b,h1,style').length);
        });
        var heads = document.querySelectorAll('table.sortable thead th');
        var model = function () {
          return Array.prototype.map.call(
              document.querySelectorAll('table.sortable tbody tr'),
              function (r) { return r.cells[0].textContent; }).join('|');
        };
        heads[0].click();
        pre(model(), 0);
        heads[0].click();
        pre(model(), 0);
      }, 1000);
      """;

  @Test
  void benchmarkPageDrawsEveryChartAndShowsHostileNamesLiterally() {
    HeadlessBrowser.Page page = HeadlessBrowser.load(bench.resolve("benchmark.html"), PROBE);
    // scatter and class heat-map for the one dataset, stage bars, one confusion map per pair
    HeadlessBrowser.assertChartsDrawn(page, 5);
    HeadlessBrowser.assertSelfContained(page);
    String dom = page.markup();
    assertThat(dom).doesNotContainPattern("<[^>]*\\sdata-pwned=").doesNotContain("<b>");
    assertThat(dom).contains("<td>" + HeadlessBrowser.text(SCRIPT) + "</td>");
    assertThat(dom).contains("<td>" + HeadlessBrowser.text(IMG) + "</td>");
    assertThat(dom).contains("<td>" + HeadlessBrowser.text(DATASET) + "</td>");
    assertThat(dom)
        .contains("<h2>Accuracy against speed: " + HeadlessBrowser.text(DATASET) + "</h2>")
        .contains(
            "<h2>Confusion matrix: "
                + HeadlessBrowser.text(IMG)
                + " @ "
                + HeadlessBrowser.text(DATASET)
                + "</h2>");
    // hook, chart options, ECharts, page script, probe
    assertThat(page.elements("script")).isEqualTo(5);
    List<String> probes = HeadlessBrowser.probes(dom);
    assertThat(probes).hasSize(5);
    assertThat(dom).doesNotContain("data-foreign=\"1\"");
    String first = HeadlessBrowser.text(SCRIPT);
    assertThat(probes.get(0)).startsWith(first).contains("images/s").contains("mIoU %");
    assertThat(probes.get(1)).startsWith(first).contains("IoU ").endsWith(" %");
    assertThat(probes.get(2))
        .startsWith(first + " @ " + HeadlessBrowser.text(DATASET))
        .contains("inference")
        .contains("total ");
    // text sort of the model column: descending, then ascending ('<' sorts before '"' ... by code)
    String a = HeadlessBrowser.text(SCRIPT);
    String b = HeadlessBrowser.text(IMG);
    assertThat(List.of(probes.get(3), probes.get(4)))
        .containsExactly(
            SCRIPT.compareTo(IMG) > 0 ? a + "|" + b : b + "|" + a,
            SCRIPT.compareTo(IMG) > 0 ? b + "|" + a : a + "|" + b);
  }

  @Test
  void comparePagesOfBenchmarksAndOfReportsDraw() {
    CliRun same =
        CliRun.of(
            "compare", bench.toString(), bench.toString(), "--out", tmp.resolve("cb").toString());
    assertThat(same.code()).as(same.err()).isZero();
    HeadlessBrowser.Page page = HeadlessBrowser.load(tmp.resolve("cb/compare.html"));
    HeadlessBrowser.assertChartsDrawn(page, 2); // mIoU and speed change per pair
    HeadlessBrowser.assertSelfContained(page);
    assertThat(page.markup())
        .contains("<td>" + HeadlessBrowser.text(IMG) + "</td>")
        .contains("<td>passed</td>")
        .doesNotContainPattern("<[^>]*\\sdata-pwned=");

    Path pairs = bench.resolve("pairs");
    CliRun reports =
        CliRun.of(
            "compare",
            pairs.resolve(folder(pairs, 0)).toString(),
            pairs.resolve(folder(pairs, 1)).toString(),
            "--out",
            tmp.resolve("cr").toString(),
            "--max-drop",
            "mIoU=100");
    assertThat(reports.code()).as(reports.err()).isZero();
    HeadlessBrowser.Page report = HeadlessBrowser.load(tmp.resolve("cr/compare.html"));
    HeadlessBrowser.assertChartsDrawn(report, 1); // per-class IoU change
    assertThat(report.markup())
        .contains("<h2>Images that lost most</h2>")
        .contains("<td>road</td>");
  }

  private static String folder(Path pairs, int i) {
    String[] names = pairs.toFile().list();
    java.util.Arrays.sort(names);
    return names[i];
  }
}

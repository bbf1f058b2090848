package dev.segspark.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pareto front by hand, and a sortable table sorted by clicks in a real browser. */
class ChartOptionsTest {
  @TempDir Path tmp;

  @Test
  void paretoFrontKeepsThePointsNoOtherBeatsOnBothAxes() {
    //            a     b     c     d     e (= b)  f (NaN)
    double[] x = {10, 5, 2, 4, 5, 20};
    double[] y = {0.5, 0.7, 0.9, 0.6, 0.7, Double.NaN};
    // a: fastest real point; b and e tie (neither beats the other); c: most accurate;
    // d: beaten by b (faster and more accurate); f: no accuracy, on no front, beats none
    assertThat(ChartOptions.paretoFront(x, y))
        .containsExactly(true, true, true, false, true, false);
    ObjectNode option =
        ChartOptions.scatter("images/s", "mIoU", List.of("a", "b", "c", "d", "e", "f"), x, y);
    // the front as a line from slow to fast: c (2), b (5), e (5), a (10)
    var line = option.at("/series/1/data");
    assertThat(line).hasSize(4);
    assertThat(Arrays.asList(name(line, 0), name(line, 1), name(line, 2), name(line, 3)))
        .containsExactly("c", "b", "e", "a");
    assertThat(option.at("/series/0/data/2/value/1").asDouble()).isEqualTo(90.0);
  }

  private static String name(com.fasterxml.jackson.databind.JsonNode data, int i) {
    return data.get(i).get("name").asText();
  }

  @Test
  void aSortableTableSortsByNumberThenAscendingOnASecondClick() throws Exception {
    HtmlPage.Table table = new HtmlPage.Table(1, "Name", "Value").sortable();
    table.row("nine", "9").row("ten", "10").row("none", "n/a").row("two", "2.5");
    Path html = tmp.resolve("t.html");
    Files.writeString(html, new HtmlPage("sorting").table(table).render());
    String probe =
        """
        var th = document.querySelectorAll('th')[1];
        var order = function () {
          return Array.prototype.map.call(document.querySelectorAll('tbody tr'), function (r) {
            return r.cells[0].textContent;
          }).join(',');
        };
        th.click();
        var down = order() + ' ' + th.getAttribute('aria-sort');
        th.click();
        var up = order() + ' ' + th.getAttribute('aria-sort');
        [down, up].forEach(function (t) {
          var pre = document.createElement('pre');
          pre.className = 'probe';
          pre.textContent = t;
          document.body.appendChild(pre);
        });
        """;
    HeadlessBrowser.Page page = HeadlessBrowser.load(html, probe);
    assertThat(HeadlessBrowser.probes(page.dom()))
        .containsExactly("ten,nine,two,none descending", "none,two,nine,ten ascending");
  }
}

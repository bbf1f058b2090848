package dev.segspark.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
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
 * Class, category, dataset and file names from the data are hostile: every report file must keep
 * its structure and show the exact text (CSV: parsed back with an RFC 4180 reader; Markdown: the
 * same number of columns on every table row, no raw HTML; JSON: round-trips; console: no control
 * character).
 */
class HostileNamesTest {
  static final List<String> NAMES =
      List.of(
          "road\nINJECTED,1,2,3",
          "say \"hi\", then",
          "a|b|c",
          "<script>alert(1)</script>",
          "=HYPERLINK(\"http://evil.example\",\"x\")",
          "+cmd",
          "-0.5",
          "@SUM(A1)",
          "\ttab",
          "\rcarriage",
          "back`tick` *bold* _u_ ~s~ [link](http://x) \\ &amp; #h",
          "red \u001b[31mESC\u001b[0m bell\u0007",
          "\u202Eevil\u2028line",
          "ünïcødé 🚗 名前 with a very long tail",
          "12345678901234567890🚗🚗🚗");

  @TempDir Path dir;

  private static LabelTable table() {
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      String category = i % 2 == 0 ? "cat|<b>\n" + i : "=cat,\"" + i;
      labels.add(new Label(NAMES.get(i), i, i, category, i % 2 + 1, true, false, i));
    }
    return new LabelTable("evil|table<i>", 255, labels, Map.of());
  }

  private static SemanticReport semantic(Convention convention) {
    LabelTable table = table();
    EvalSpace space = EvalSpace.of(convention, table, PredictionIds.TRAIN_IDS);
    ConfusionMatrix m = new ConfusionMatrix(space.size());
    for (int i = 0; i < space.size(); i++) {
      m.add(i, i, 10 + i);
      m.add(i, (i + 1) % space.size(), 3);
    }
    List<ImageError> errors =
        List.of(new ImageError("img|`x`\n# h.png", "Cannot read <b>x</b>: bad | input\n- item"));
    return new SemanticReport(
        new DatasetInfo("evil|set **x**", "/data/`root`|<x>", "val\n# split", 7),
        SemanticMetrics.compute(space, m, null),
        space.indexIds(),
        m,
        errors,
        Map.of("seconds", 1.5));
  }

  @Test
  void semanticCsvRoundTripsEveryNameExactly() throws IOException {
    ReportFiles.write(semantic(Convention.MMSEG), dir);

    List<List<String>> rows = Rfc4180.parse(Files.readString(dir.resolve("per_class.csv")));

    assertThat(rows).hasSize(NAMES.size() + 1);
    int columns = rows.get(0).size();
    for (int i = 0; i < NAMES.size(); i++) {
      List<String> row = rows.get(i + 1);
      assertThat(row).hasSize(columns);
      assertThat(row.get(0)).isEqualTo(neutralised(NAMES.get(i)));
      assertThat(row.get(1)).isEqualTo(Integer.toString(i)); // the id column is intact
    }
    List<List<String>> matrix =
        Rfc4180.parse(Files.readString(dir.resolve("confusion_matrix.csv")));
    assertThat(matrix.get(0).get(0)).isEqualTo("gt\\pred");
    assertThat(matrix).hasSize(NAMES.size() + 1);
    assertThat(matrix).allSatisfy(r -> assertThat(r).hasSize(NAMES.size() + 1));
    for (int i = 0; i < NAMES.size(); i++) { // names head each column and each row
      assertThat(matrix.get(0).get(i + 1)).isEqualTo(neutralised(NAMES.get(i)));
      assertThat(matrix.get(i + 1).get(0)).isEqualTo(neutralised(NAMES.get(i)));
      assertThat(matrix.get(i + 1).get(i + 1)).isEqualTo(Integer.toString(10 + i));
    }
  }

  /** Only text cells that start like a formula get the quote; numbers never do. */
  private static String neutralised(String name) {
    return "=+-@\t\r".indexOf(name.charAt(0)) >= 0 ? "'" + name : name;
  }

  @Test
  void numericCellsAreNeverNeutralised() {
    assertThat(ReportEscapes.csvText("-0.5")).isEqualTo("'-0.5");
    assertThat(ReportText.perClassCsv(semantic(Convention.MMSEG)))
        .doesNotContain(",'0")
        .doesNotContain(",'-");
  }

  @Test
  void semanticMarkdownKeepsItsTablesAndHasNoRawHtml() throws IOException {
    for (Convention convention : List.of(Convention.MMSEG, Convention.CITYSCAPES)) {
      ReportFiles.write(semantic(convention), dir);
      String md = Files.readString(dir.resolve("report.md"));
      assertTablesAreRectangular(md, NAMES.size());
      assertNoRawMarkup(md);
      assertThat(md).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
      assertThat(md).contains("| a\\|b\\|c |");
      assertThat(md).contains("road\\\\u000AINJECTED,1,2,3"); // a Markdown-escaped backslash
      assertThat(md)
          .contains("back\\`tick\\` \\*bold\\* \\_u\\_ \\~s\\~ \\[link\\](http://x) \\\\");
      assertThat(md).contains("&amp;amp;");
    }
  }

  @Test
  void jsonRoundTripsEveryNameExactly() throws IOException {
    ReportFiles.write(semantic(Convention.CITYSCAPES), dir);
    Map<?, ?> json = ReportJson.read(Files.readString(dir.resolve("report.json")));
    List<?> classes = (List<?>) json.get("classes");
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(((Map<?, ?>) classes.get(i)).get("name")).isEqualTo(NAMES.get(i));
    }
    assertThat(((Map<?, ?>) json.get("dataset")).get("root")).isEqualTo("/data/`root`|<x>");
    assertThat(((Map<?, ?>) ((List<?>) json.get("errors")).get(0)).get("image"))
        .isEqualTo("img|`x`\n# h.png");
  }

  @Test
  void consoleTableHasNoControlCharacter() {
    for (Convention convention : List.of(Convention.MMSEG, Convention.CITYSCAPES)) {
      String out = ReportText.consoleTable(semantic(convention));
      List<String> lines = out.lines().toList();
      assertThat(lines).hasSize(NAMES.size() + 3); // header, classes, mean, summary line
      for (char c : out.toCharArray()) {
        assertThat(c == '\n' || !ReportEscapes.isUnsafe(c))
            .as("U+%04X in the console table", (int) c)
            .isTrue();
      }
      assertThat(out).contains("red \\u001B[31mESC\\u001B[0m").contains("\\u202Eevil\\u2028");
      for (int i = 0; i < out.length(); i++) { // clipped on a code point, not half an emoji
        char c = out.charAt(i);
        assertThat(Character.isHighSurrogate(c))
            .isEqualTo(i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1)));
        i += Character.isHighSurrogate(c) ? 1 : 0;
      }
      assertThat(out).contains("12345678901234567890🚗…");
    }
  }

  private static PanopticReport panoptic() {
    List<PanopticCategory> list = new ArrayList<>();
    PqStats stats = new PqStats();
    for (int i = 0; i < NAMES.size(); i++) {
      list.add(new PanopticCategory(i + 1, NAMES.get(i), i % 2 == 0));
      stats.addTruePositive(i + 1, 8, 10);
      stats.addFalsePositive(i + 1);
    }
    PanopticCategories categories = new PanopticCategories(list);
    return new PanopticReport(
        new DatasetInfo("coco-panoptic", "/gt/`dir`|<y>\nz", "", 3),
        PqResult.of(stats, categories),
        semantic(Convention.MMSEG),
        List.of(new ImageError("p|<i>.png", "Cannot evaluate image 2: `x` | y")),
        new LinkedHashMap<>());
  }

  @Test
  void panopticCsvMarkdownAndJson() throws IOException {
    PanopticReportWriter.write(panoptic(), dir);

    List<List<String>> rows = Rfc4180.parse(Files.readString(dir.resolve("per_class.csv")));
    assertThat(rows).hasSize(NAMES.size() + 1);
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(rows.get(i + 1)).hasSize(rows.get(0).size());
      assertThat(rows.get(i + 1).get(0)).isEqualTo(Integer.toString(i + 1));
      assertThat(rows.get(i + 1).get(1)).isEqualTo(neutralised(NAMES.get(i)));
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTablesAreRectangular(md, NAMES.size());
    assertNoRawMarkup(md);
    assertThat(md).contains("Ground truth /gt/\\`dir\\`\\|&lt;y&gt;\\\\u000Az, 3 images.");
    Map<?, ?> json = ReportJson.read(Files.readString(dir.resolve("report.json")));
    List<?> classes = (List<?>) json.get("classes");
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(((Map<?, ?>) classes.get(i)).get("name")).isEqualTo(NAMES.get(i));
    }
  }

  /** Every row of every table has the header's number of cells (unescaped pipes). */
  private static void assertTablesAreRectangular(String md, int classes) {
    int tables = 0;
    int classRows = 0;
    Integer cells = null;
    for (String line : md.split("\n", -1)) {
      if (!line.startsWith("|")) {
        cells = null;
        continue;
      }
      assertThat(line).endsWith("|");
      int n = cells(line);
      if (cells == null) {
        cells = n;
        tables++;
      } else {
        assertThat(n).as("cells in %s", line).isEqualTo(cells);
        classRows++;
      }
    }
    assertThat(tables).isGreaterThanOrEqualTo(2);
    assertThat(classRows).isGreaterThanOrEqualTo(classes);
  }

  private static int cells(String row) {
    int pipes = 0;
    for (int i = 0; i < row.length(); i++) {
      if (row.charAt(i) == '\\') {
        i++; // the escaped character
      } else if (row.charAt(i) == '|') {
        pipes++;
      }
    }
    return pipes - 1;
  }

  private static void assertNoRawMarkup(String md) {
    assertThat(md).doesNotContain("<script").doesNotContain("<b>").doesNotContain("<i>");
    assertThat(md).doesNotContain("\r").doesNotContain("\t").doesNotContain("\u001b");
    assertThat(md).doesNotContain("\u202E").doesNotContain("\u2028");
    // no line of a table row or list item was cut by a newline from a name
    for (String line : md.split("\n")) {
      assertThat(
              line.isEmpty()
                  || line.startsWith("|")
                  || line.startsWith("- ")
                  || line.startsWith("#")
                  || Character.isLetter(line.charAt(0)))
          .as("line %s", line)
          .isTrue();
    }
  }

  /** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF record ends. */
  static final class Rfc4180 {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          if (field.length() != 0 || wasQuoted) {
            throw new IllegalArgumentException("quote inside an unquoted field at " + i);
          }
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else if (c == '\n'
            || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
          i += c == '\r' ? 1 : 0;
          row.add(field.toString());
          rows.add(row);
          row = new ArrayList<>();
          field.setLength(0);
          wasQuoted = false;
        } else if (c == '\r') {
          throw new IllegalArgumentException("bare CR outside quotes at " + i);
        } else if (wasQuoted) {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        } else {
          field.append(c);
        }
      }
      if (quoted) {
        throw new IllegalArgumentException("unterminated quoted field");
      }
      if (field.length() > 0 || !row.isEmpty()) {
        row.add(field.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}

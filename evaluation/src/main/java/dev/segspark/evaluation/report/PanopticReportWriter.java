package dev.segspark.evaluation.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.panoptic.ClassPq;
import dev.segspark.evaluation.panoptic.PqSummary;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Panoptic report files: {@code report.json} (the panoptic part of docs/report-contract.md), {@code
 * report.md} (All/Things/Stuff table and the per-class table), {@code per_class.csv} and {@code
 * report.html} ({@link HtmlReports#panoptic}). Classes are the categories with TP + FP + FN &gt; 0,
 * the ones that enter the averages.
 */
public final class PanopticReportWriter {
  private PanopticReportWriter() {}

  /** Writes report.json, report.md, per_class.csv and report.html into {@code dir}. */
  public static void write(PanopticReport report, Path dir) {
    AtomicFiles.write(dir.resolve(ReportFiles.JSON), json(report));
    AtomicFiles.write(dir.resolve(ReportFiles.MARKDOWN), markdown(report));
    AtomicFiles.write(dir.resolve(ReportFiles.PER_CLASS), perClassCsv(report));
    AtomicFiles.write(dir.resolve(ReportFiles.HTML), HtmlReports.panoptic(report));
  }

  /** The report as JSON text. */
  public static String json(PanopticReport report) {
    ObjectNode root = ReportJson.header("panoptic", report.dataset());
    ObjectNode summary = root.putObject("summary");
    summary(summary.putObject("All"), report.result().all());
    summary(summary.putObject("Things"), report.result().things());
    summary(summary.putObject("Stuff"), report.result().stuff());
    ArrayNode classes = root.putArray("classes");
    for (ClassPq c : report.result().classes()) {
      if (c.isPresent()) {
        classes
            .addObject()
            .put("id", c.id())
            .put("name", c.name())
            .put("isthing", c.isThing())
            .put("pq", c.pq())
            .put("sq", c.sq())
            .put("rq", c.rq())
            .put("tp", c.tp())
            .put("fp", c.fp())
            .put("fn", c.fn());
      }
    }
    if (report.semantic() != null) {
      root.set("semantic", ReportJson.scores(ReportJson.object(), report.semantic()));
    }
    ReportJson.footer(root, report.errors(), report.run());
    return ReportJson.text(root);
  }

  private static void summary(ObjectNode node, PqSummary s) {
    node.put("pq", s.pq()).put("sq", s.sq()).put("rq", s.rq()).put("n", s.n());
  }

  /** {@code report.md}. */
  public static String markdown(PanopticReport report) {
    StringBuilder md = new StringBuilder("# segspark panoptic evaluation\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Ground truth %s, %d images.%n%n",
            ReportEscapes.markdown(report.dataset().root()),
            report.dataset().images()));
    md.append(ReportText.runLines(report.run()));
    md.append("| | PQ | SQ | RQ | N |\n|---|---:|---:|---:|---:|\n");
    row(md, "All", report.result().all());
    row(md, "Things", report.result().things());
    row(md, "Stuff", report.result().stuff());
    md.append("\n| Category | id | thing | PQ | SQ | RQ | TP | FP | FN |\n");
    md.append("|---|---:|:-:|---:|---:|---:|---:|---:|---:|\n");
    for (ClassPq c : report.result().classes()) {
      if (c.isPresent()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s | %d | %d | %d |%n",
                ReportEscapes.markdown(c.name()),
                c.id(),
                c.isThing() ? "✓" : "",
                ReportText.pct(c.pq()),
                ReportText.pct(c.sq()),
                ReportText.pct(c.rq()),
                c.tp(),
                c.fp(),
                c.fn()));
      }
    }
    if (report.semantic() != null) {
      md.append("\n## Semantic IoU from the same pair (categories painted per pixel)\n\n");
      md.append(ReportText.tables(report.semantic()));
    }
    md.append(ReportText.skipped(report.errors()));
    md.append("\nScores in percent; n/a = undefined (0/0).\n");
    return md.toString();
  }

  private static void row(StringBuilder md, String name, PqSummary s) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %d |%n",
            name,
            ReportText.pct(s.pq()),
            ReportText.pct(s.sq()),
            ReportText.pct(s.rq()),
            s.n()));
  }

  /** {@code per_class.csv} of the present categories. */
  public static String perClassCsv(PanopticReport report) {
    StringBuilder csv = new StringBuilder("id,name,isthing,pq,sq,rq,tp,fp,fn\n");
    for (ClassPq c : report.result().classes()) {
      if (c.isPresent()) {
        csv.append(c.id())
            .append(',')
            .append(ReportEscapes.csvText(c.name()))
            .append(',')
            .append(c.isThing())
            .append(',')
            .append(num(c.pq()))
            .append(',')
            .append(num(c.sq()))
            .append(',')
            .append(num(c.rq()))
            .append(',')
            .append(c.tp())
            .append(',')
            .append(c.fp())
            .append(',')
            .append(c.fn())
            .append('\n');
      }
    }
    return csv.toString();
  }

  private static String num(Double v) {
    return v == null ? "" : Double.toString(v);
  }

  /** The short table printed on stdout. */
  public static String consoleTable(PanopticReport report) {
    StringBuilder out =
        new StringBuilder(
            String.format(Locale.ROOT, "%-8s %7s %7s %7s %4s%n", "", "PQ", "SQ", "RQ", "N"));
    line(out, "All", report.result().all());
    line(out, "Things", report.result().things());
    line(out, "Stuff", report.result().stuff());
    out.append(
        String.format(
            Locale.ROOT,
            "(%d images, %d skipped)%n",
            report.dataset().images(),
            report.errors().size()));
    return out.toString();
  }

  private static void line(StringBuilder out, String name, PqSummary s) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-8s %7s %7s %7s %4d%n",
            name,
            ReportText.pct(s.pq()),
            ReportText.pct(s.sq()),
            ReportText.pct(s.rq()),
            s.n()));
  }
}

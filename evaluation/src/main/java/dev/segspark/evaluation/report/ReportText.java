package dev.segspark.evaluation.report;

import dev.segspark.evaluation.metrics.CategoryScores;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Human-readable renderings: the Markdown report (a per-class table to paste in a PR), the CSV
 * files and the short summary table printed on stdout. Scores are shown in percent, 2 decimals.
 * Every text taken from the data goes through {@link ReportEscapes} for its destination.
 */
public final class ReportText {
  private ReportText() {}

  /** {@code report.md}. */
  public static String markdown(SemanticReport report) {
    StringBuilder md = new StringBuilder();
    DatasetInfo d = report.dataset();
    md.append("# segspark semantic evaluation\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Dataset **%s** (split %s, %d images, root %s), convention **%s**.%n%n",
            md(d.name()),
            md(d.split()),
            d.images(),
            md(d.root()),
            report.scores().convention().id()));
    md.append(runLines(report.run()));
    md.append(tables(report));
    md.append(skipped(report.errors()));
    md.append("\nScores in percent; n/a = undefined (0/0) or excluded by the convention.\n");
    return md.toString();
  }

  /** The summary, per-class and category tables of {@code report.md}, without title or errors. */
  static String tables(SemanticReport report) {
    StringBuilder md = new StringBuilder();
    Summary s = report.scores().summary();
    md.append("| mIoU | aAcc | mAcc | mDice | mFscore | mPrecision | mRecall | fwIoU |");
    boolean cityscapes = report.scores().convention() == Convention.CITYSCAPES;
    boolean micro = s.microIoU() != null;
    md.append(cityscapes ? " iIoU | category IoU | category iIoU |" : "")
        .append(micro ? " micro IoU |\n" : "\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        .append(cityscapes ? "---:|---:|---:|" : "")
        .append(micro ? "---:|\n" : "\n");
    md.append("| ")
        .append(
            String.join(
                " | ",
                pct(s.mIoU()),
                pct(s.aAcc()),
                pct(s.mAcc()),
                pct(s.mDice()),
                pct(s.mFscore()),
                pct(s.mPrecision()),
                pct(s.mRecall()),
                pct(s.fwIoU())));
    if (cityscapes) {
      md.append(" | ")
          .append(String.join(" | ", pct(s.iIoU()), pct(s.categoryIoU()), pct(s.categoryIIoU())));
    }
    if (micro) {
      md.append(" | ").append(pct(s.microIoU()));
    }
    md.append(" |\n\n");
    md.append("| Class | IoU |").append(cityscapes ? " iIoU |" : "");
    md.append(" Acc | Dice | Precision | Recall | F-score | GT pixels | Pred pixels |\n");
    md.append("|---|---:|")
        .append(cityscapes ? "---:|" : "")
        .append("---:|---:|---:|---:|---:|---:|---:|\n");
    for (ClassScores c : report.scores().classes()) {
      md.append("| ").append(md(c.name())).append(" | ").append(pct(c.iou())).append(" | ");
      if (cityscapes) {
        md.append(pct(c.iiou())).append(" | ");
      }
      md.append(
          String.join(
              " | ",
              pct(c.acc()),
              pct(c.dice()),
              pct(c.precision()),
              pct(c.recall()),
              pct(c.fscore()),
              Long.toString(c.gtPixels()),
              Long.toString(c.predPixels())));
      md.append(" |\n");
    }
    if (!report.scores().categories().isEmpty()) {
      md.append("\n| Category | IoU | iIoU |\n|---|---:|---:|\n");
      for (CategoryScores c : report.scores().categories()) {
        md.append("| ")
            .append(md(c.name()))
            .append(" | ")
            .append(pct(c.iou()))
            .append(" | ")
            .append(pct(c.iiou()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  /**
   * The lines of {@code report.md} that name the model (or else the predictions) and the timings,
   * when the run facts have them; empty otherwise.
   */
  static String runLines(Map<String, Object> run) {
    StringBuilder md = new StringBuilder();
    if (run.get("model") != null) {
      md.append("Model **").append(md(String.valueOf(run.get("model")))).append("**");
      List<String> details = new ArrayList<>();
      for (String key : List.of("engine", "adapter")) {
        if (run.get(key) != null) {
          details.add(md(String.valueOf(run.get(key))));
        }
      }
      if (run.get("batchSize") != null) {
        details.add("batch " + md(String.valueOf(run.get("batchSize"))));
      }
      md.append(details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
      if (run.get("modelSpec") != null) {
        md.append(", spec ").append(md(String.valueOf(run.get("modelSpec"))));
      }
      md.append(".\n\n");
    } else if (run.get("predictions") != null) {
      md.append("Predictions ").append(md(String.valueOf(run.get("predictions")))).append(".\n\n");
    }
    if (run.get("seconds") instanceof Number seconds) {
      md.append(String.format(Locale.ROOT, "Time %.2f s", seconds.doubleValue()));
      if (run.get("imagesPerSecond") instanceof Number rate) {
        md.append(String.format(Locale.ROOT, ", %.2f images/s", rate.doubleValue()));
      }
      if (run.get("inferenceImagesPerSecond") instanceof Number rate) {
        md.append(
            String.format(Locale.ROOT, " (forward passes %.2f images/s)", rate.doubleValue()));
      }
      List<String> stages = new ArrayList<>();
      for (String stage : List.of("decode", "preprocess", "inference", "postprocess", "metrics")) {
        if (run.get(stage + "Seconds") instanceof Number t) {
          stages.add(String.format(Locale.ROOT, "%s %.2f s", stage, t.doubleValue()));
        }
      }
      md.append(stages.isEmpty() ? "" : "; task time " + String.join(", ", stages)).append(".\n\n");
    }
    return md.toString();
  }

  /** The "Skipped images" section, empty when nothing was skipped. */
  static String skipped(List<ImageError> errors) {
    if (errors.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## Skipped images (" + errors.size() + ")\n\n");
    for (ImageError e : errors) {
      md.append("- ").append(md(e.image())).append(": ").append(md(e.error())).append('\n');
    }
    return md.toString();
  }

  /** {@code per_class.csv}: one row per class, empty cells for undefined scores. */
  public static String perClassCsv(SemanticReport report) {
    StringBuilder csv =
        new StringBuilder(
            "name,id,trainId,iou,iiou,acc,dice,precision,recall,fscore,tp,gtPixels,predPixels\n");
    for (ClassScores c : report.scores().classes()) {
      csv.append(ReportEscapes.csvText(c.name()))
          .append(',')
          .append(c.id())
          .append(',')
          .append(c.trainId());
      for (Double v :
          new Double[] {
            c.iou(), c.iiou(), c.acc(), c.dice(), c.precision(), c.recall(), c.fscore()
          }) {
        csv.append(',').append(v == null ? "" : Double.toString(v));
      }
      csv.append(',')
          .append(c.tp())
          .append(',')
          .append(c.gtPixels())
          .append(',')
          .append(c.predPixels())
          .append('\n');
    }
    return csv.toString();
  }

  /**
   * {@code confusion_matrix.csv}: rows = ground truth, columns = prediction, in the order of the
   * report's {@code confusionMatrix.labels}; the header row and the first column name each label
   * ({@link SemanticReport#matrixNames}).
   */
  public static String confusionCsv(SemanticReport report) {
    List<String> names = report.matrixNames();
    StringBuilder csv = new StringBuilder(ReportEscapes.csvText("gt\\pred"));
    for (String name : names) {
      csv.append(',').append(ReportEscapes.csvText(name));
    }
    csv.append('\n');
    long[][] m = report.matrix().square();
    for (int r = 0; r < m.length; r++) {
      csv.append(ReportEscapes.csvText(names.get(r)));
      for (long v : m[r]) {
        csv.append(',').append(v);
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /** The short table printed on stdout at the end of a run. */
  public static String consoleTable(SemanticReport report) {
    StringBuilder out = new StringBuilder();
    boolean cityscapes = report.scores().convention() == Convention.CITYSCAPES;
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %7s%s %7s %7s%n",
            "class",
            "IoU",
            cityscapes ? String.format("%7s", "iIoU") : "",
            "Acc",
            "F"));
    for (ClassScores c : report.scores().classes()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-22s %7s%s %7s %7s%n",
              clip(c.name()),
              pct(c.iou()),
              cityscapes ? String.format("%7s", pct(c.iiou())) : "",
              pct(c.acc()),
              pct(c.fscore())));
    }
    Summary s = report.scores().summary();
    out.append(
        String.format(
            Locale.ROOT,
            "%-22s %7s%s %7s %7s%n",
            "mean",
            pct(s.mIoU()),
            cityscapes ? String.format("%7s", pct(s.iIoU())) : "",
            pct(s.mAcc()),
            pct(s.mFscore())));
    out.append(String.format(Locale.ROOT, "aAcc %s  fwIoU %s", pct(s.aAcc()), pct(s.fwIoU())));
    if (cityscapes) {
      out.append(
          String.format(
              Locale.ROOT,
              "  category IoU %s  category iIoU %s",
              pct(s.categoryIoU()),
              pct(s.categoryIIoU())));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  (%d images, convention %s, %d skipped)%n",
            report.dataset().images(),
            report.scores().convention().id(),
            report.errors().size()));
    return out.toString();
  }

  /** A class name for the 22-wide console column: clipped on a code point boundary, escaped. */
  private static String clip(String name) {
    String clipped =
        name.codePointCount(0, name.length()) <= 22
            ? name
            : name.substring(0, name.offsetByCodePoints(0, 21)) + "…";
    return ReportEscapes.console(clipped);
  }

  private static String md(String text) {
    return ReportEscapes.markdown(text);
  }

  static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v * 100);
  }
}

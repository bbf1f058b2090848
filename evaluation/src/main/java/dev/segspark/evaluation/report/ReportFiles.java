package dev.segspark.evaluation.report;

import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.io.OutputSet;
import java.nio.file.Path;
import java.util.List;

/**
 * The report set of an output folder, semantic or panoptic, committed as a unit (see {@link
 * OutputSet}): a run first removes the previous set, {@code report.json} first, writes the new one
 * into a hidden staging folder and renames it into place, {@code report.json} last. So {@code
 * report.json} in a folder means the whole set is there and from the run that wrote it; a run that
 * fails or is killed leaves no report (the previous one is gone, never left looking current).
 */
public final class ReportFiles {
  /** File names, as documented in README. */
  public static final String JSON = "report.json";

  public static final String MARKDOWN = "report.md";
  public static final String PER_CLASS = "per_class.csv";
  public static final String CONFUSION = "confusion_matrix.csv";
  public static final String HTML = "report.html";

  /** Per-image Parquet table (a Spark folder). */
  public static final String PER_IMAGE = "per_image.parquet";

  private ReportFiles() {}

  /**
   * Removes the report set of {@code dir}, whichever kind, and opens a new one; {@link #JSON} is
   * its marker. Call it when a run starts, write into {@link OutputSet#staging()}, then commit.
   */
  public static OutputSet open(Path dir) {
    return OutputSet.open(dir, JSON, List.of(MARKDOWN, PER_CLASS, CONFUSION, HTML, PER_IMAGE));
  }

  /**
   * Writes report.json, report.md, per_class.csv, confusion_matrix.csv and report.html (without
   * worst images) into {@code dir}.
   */
  public static void write(SemanticReport report, Path dir) {
    write(report, List.of(), dir);
  }

  /**
   * Writes report.json, report.md, per_class.csv, confusion_matrix.csv and report.html into {@code
   * dir}.
   *
   * @param report the report
   * @param worst the rows of report.html's "worst images" table, in the order to show
   * @param dir the folder (the staging folder of {@link #open})
   */
  public static void write(SemanticReport report, List<WorstImage> worst, Path dir) {
    AtomicFiles.write(dir.resolve(JSON), ReportJson.toJson(report));
    AtomicFiles.write(dir.resolve(MARKDOWN), ReportText.markdown(report));
    AtomicFiles.write(dir.resolve(PER_CLASS), ReportText.perClassCsv(report));
    AtomicFiles.write(dir.resolve(CONFUSION), ReportText.confusionCsv(report));
    AtomicFiles.write(dir.resolve(HTML), HtmlReports.semantic(report, worst));
  }
}

package dev.segspark.evaluation.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the report files into an output folder, each atomically (temp file, then rename). */
public final class ReportFiles {
  /** File names, as documented in README. */
  public static final String JSON = "report.json";

  public static final String MARKDOWN = "report.md";
  public static final String PER_CLASS = "per_class.csv";
  public static final String CONFUSION = "confusion_matrix.csv";

  private ReportFiles() {}

  /** Writes report.json, report.md, per_class.csv and confusion_matrix.csv into {@code dir}. */
  public static void write(SemanticReport report, Path dir) {
    writeAtomically(dir.resolve(JSON), ReportJson.toJson(report));
    writeAtomically(dir.resolve(MARKDOWN), ReportText.markdown(report));
    writeAtomically(dir.resolve(PER_CLASS), ReportText.perClassCsv(report));
    writeAtomically(dir.resolve(CONFUSION), ReportText.confusionCsv(report));
  }

  /** Writes text to {@code target} through a temp file in the same folder and a rename. */
  public static void writeAtomically(Path target, String text) {
    writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes to {@code target} through a temp file in the same folder and a rename. */
  public static void writeAtomically(Path target, byte[] bytes) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}

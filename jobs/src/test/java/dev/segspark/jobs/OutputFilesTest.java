package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.jobs.actions.EvaluateAction;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.PanopticSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job leaves in its output folder: report sets committed as a unit (never a mix of two runs,
 * never an old report after a failed run, no staging folder of a killed run), and files with the
 * mode a plain write gets under the process umask.
 */
class OutputFilesTest extends SparkTestBase {
  private static final List<String> SEMANTIC_SET =
      List.of(
          "report.json",
          "report.md",
          "per_class.csv",
          "confusion_matrix.csv",
          "report.html",
          EvaluateAction.PER_IMAGE);
  private static final String BAD_PRED =
      "predictions/labelIds/munster/munster_000000_000019_pred_labelIds.png";

  @TempDir static Path tmp;
  static Path six;
  static Path three;

  @BeforeAll
  static void data() {
    six = synth(tmp.resolve("six"), 6, 3, 32, 64);
    three = synth(tmp.resolve("three"), 3, 4, 32, 64);
  }

  @Test
  void failedRerunIntoAUsedOutLeavesNoOldReportAndTheNextRunAWholeNewSet() throws IOException {
    Path out = tmp.resolve("rerun");
    actions().evaluate(cityscapesSpec(six, out)).execute();
    assertThat(out.resolve("report.json")).isRegularFile();
    // what a run killed while committing leaves behind
    Path stale = Files.createDirectories(out.resolve(".segspark-staging-killed"));
    Files.writeString(stale.resolve("report.json"), "{}");

    Path broken = synth(tmp.resolve("broken"), 3, 4, 32, 64);
    Files.writeString(broken.resolve(BAD_PRED), "garbage");
    assertThatThrownBy(() -> actions().evaluate(cityscapesSpec(broken, out)).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining(BAD_PRED);
    for (String name : SEMANTIC_SET) {
      assertThat(out.resolve(name)).as(name + " of the old run").doesNotExist();
    }
    assertThat(hidden(out)).isEmpty();

    actions().evaluate(cityscapesSpec(three, out)).execute();
    for (String name : SEMANTIC_SET) {
      assertThat(out.resolve(name)).as(name).exists();
    }
    assertThat(reportWithoutRun(out)).isEqualTo(reportWithoutRun(evaluate(three, "fresh")));
    assertThat(spark.read().parquet(out.resolve(EvaluateAction.PER_IMAGE).toString()).count())
        .isEqualTo(3);
    assertThat(hidden(out)).isEmpty();
  }

  @Test
  void panopticRunReplacesASemanticSetWholly() throws IOException {
    Path out = evaluate(six, "semantic-then-panoptic");
    actions().evaluatePanoptic(panoptic(out, OnError.FAIL)).execute();
    // confusion_matrix.csv belongs to the semantic set only: it must not survive beside the new one
    assertThat(out.resolve("confusion_matrix.csv")).doesNotExist();
    assertThat(reportWithoutRun(out).get("task")).isEqualTo("panoptic");
    assertThat(spark.read().parquet(out.resolve(EvaluateAction.PER_IMAGE).toString()).count())
        .isEqualTo(8);
    assertThat(hidden(out)).isEmpty();
  }

  @Test
  void failedPanopticRunLeavesNoOldReport() throws IOException {
    Path out = tmp.resolve("panoptic-fail");
    actions().evaluatePanoptic(panoptic(out, OnError.FAIL)).execute();
    Path gtOnly = Files.createDirectories(tmp.resolve("empty-pred"));
    Files.writeString(gtOnly.resolve("pred.json"), "{\"annotations\": []}");
    PanopticSpec missing =
        new PanopticSpec(
            PanopticJobTest.MINI.resolve("panoptic.json"),
            PanopticJobTest.MINI.resolve("panoptic"),
            gtOnly.resolve("pred.json"),
            gtOnly,
            out,
            false,
            OnError.FAIL,
            0,
            1L << 26);
    assertThatThrownBy(() -> actions().evaluatePanoptic(missing).execute())
        .hasMessageContaining("no annotation for image");
    for (String name : SEMANTIC_SET) {
      assertThat(out.resolve(name)).as(name + " of the old run").doesNotExist();
    }
  }

  @Test
  void synthDataHasTheModeOfAPlainWrite() {
    Path data = synth(tmp.resolve("modes-synth"), 2, 1, 32, 64);
    assertPlainWriteModes(data);
  }

  @Test
  void semanticReportSetHasTheModeOfAPlainWrite() {
    assertPlainWriteModes(evaluate(three, "modes-report"));
  }

  @Test
  void panopticReportSetHasTheModeOfAPlainWrite() {
    Path out = tmp.resolve("modes-panoptic");
    actions().evaluatePanoptic(panoptic(out, OnError.FAIL)).execute();
    assertPlainWriteModes(out);
  }

  @Test
  void masksManifestAndRecordsHaveTheModeOfAPlainWrite() {
    Path out = tmp.resolve("modes-label");
    actions()
        .label(
            labelSpec(
                model("segformer-synth"),
                three.resolve("leftImg8bit/val"),
                out,
                2,
                "ids",
                "color",
                "overlay"))
        .execute();
    assertThat(out.resolve(LabelAction.MANIFEST).resolve("_SUCCESS")).exists();
    assertPlainWriteModes(out);
  }

  private static Path evaluate(Path data, String name) {
    Path out = tmp.resolve(name);
    actions().evaluate(cityscapesSpec(data, out)).execute();
    return out;
  }

  private static PanopticSpec panoptic(Path out, OnError onError) {
    Path mini = PanopticJobTest.MINI;
    return new PanopticSpec(
        mini.resolve("panoptic.json"),
        mini.resolve("panoptic"),
        mini.resolve("panoptic.json"),
        mini.resolve("panoptic"),
        out,
        false,
        onError,
        0,
        1L << 26);
  }

  /** Hidden entries (staging folders, temp files) directly in {@code dir}. */
  private static List<String> hidden(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  /** Every file under {@code root} has the permissions of a file {@code Files.write} creates. */
  private static void assertPlainWriteModes(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> files = walk.filter(Files::isRegularFile).toList();
      assertThat(files).isNotEmpty();
      for (Path f : files) {
        Path probe = f.resolveSibling("probe-" + System.nanoTime());
        Files.write(probe, new byte[] {1});
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        assertThat(Files.getPosixFilePermissions(f))
            .as(root.relativize(f).toString())
            .isEqualTo(plain);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.evaluation.image.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad paths on the command line fail before the Spark session is built, so in about a second: no
 * Spark session exists after the command returns (this class starts none of its own). Data is
 * written by hand, without Spark.
 */
class EarlyChecksTest {
  @TempDir static Path tmp;
  static Path data;
  static Path file;

  @BeforeAll
  static void data() throws IOException {
    stopAnySession(); // left by an earlier test class in this JVM
    data = tmp.resolve("data");
    byte[] png = Png.encodeGrey8(4, 2, new byte[8]);
    Path gt = data.resolve("gtFine/val/lindau/lindau_000000_000019_gtFine_labelIds.png");
    Path pred = data.resolve("predictions/lindau_000000_000019_pred_labelIds.png");
    for (Path p : List.of(gt, pred)) {
      Files.createDirectories(p.getParent());
      Files.write(p, png);
    }
    file = Files.writeString(tmp.resolve("a-file.txt"), "x");
  }

  private static void stopAnySession() {
    for (var session : List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (session.isDefined()) {
        session.get().stop();
      }
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @AfterEach
  void noSession() {
    boolean started =
        SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    stopAnySession();
    assertThat(started).as("a Spark session was built before the paths were checked").isFalse();
  }

  private static CliRun cli(List<String> args) {
    return CliRun.of(args.toArray(new String[0]));
  }

  private static List<String> evaluate(String... more) {
    List<String> args = new ArrayList<>(List.of("evaluate", "--dataset", "cityscapes"));
    args.addAll(List.of(more));
    return args;
  }

  private static List<String> semantic(Path root, Path predictions, Path out, String... more) {
    List<String> args =
        evaluate(
            "--data-root",
            root.toString(),
            "--predictions",
            predictions.toString(),
            "--out",
            out.toString());
    args.addAll(List.of(more));
    return args;
  }

  private static List<String> panoptic(Path gtJson, Path out) {
    return List.of(
        "evaluate",
        "--task",
        "panoptic",
        "--gt-json",
        gtJson.toString(),
        "--gt-dir",
        data.toString(),
        "--pred-json",
        file.toString(),
        "--pred-dir",
        data.toString(),
        "--out",
        out.toString());
  }

  private static List<String> label(Path images, Path out) {
    return List.of(
        "label",
        "--model",
        "segformer-synth",
        "--images",
        images.toString(),
        "--out",
        out.toString());
  }

  static Stream<Arguments> badPaths() {
    Path out = tmp.resolve("out");
    Path preds = data.resolve("predictions");
    return Stream.of(
        Arguments.of(semantic(tmp.resolve("nowhere"), preds, out), "data root does not exist"),
        Arguments.of(semantic(file, preds, out), "data root is not a folder"),
        Arguments.of(semantic(data, tmp.resolve("nopreds"), out), "--predictions does not exist"),
        Arguments.of(
            semantic(data, preds, out, "--split", "test"),
            "ground-truth folder (layout cityscapes"),
        Arguments.of(
            evaluate("--data-root", data.toString(), "--model", "segformer-synth", "--out", "o"),
            "image folder does not exist"),
        Arguments.of(semantic(data, preds, file), "--out is a file, not a folder"),
        Arguments.of(semantic(data, preds, file.resolve("sub")), "--out is below a file"),
        Arguments.of(panoptic(tmp.resolve("gt.json"), out), "--gt-json does not exist"),
        Arguments.of(panoptic(file, file), "--out is a file, not a folder"),
        Arguments.of(label(tmp.resolve("no-images"), out), "--images does not exist"),
        Arguments.of(label(data, file), "--out is a file, not a folder"),
        Arguments.of(label(data, data), "--out is the folder --images searches"),
        Arguments.of(
            List.of("synth", "--out", file.toString(), "--images", "1"),
            "--out is a file, not a folder"),
        Arguments.of(List.of("demo", "--out", file.toString()), "--out is a file, not a folder"));
  }

  @ParameterizedTest
  @MethodSource("badPaths")
  void badPathsAreUsageErrorsFoundBeforeTheSession(List<String> args, String message) {
    CliRun run = cli(args);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void zeroOrNegativePartitionsAreBadUsage() {
    Path out = tmp.resolve("p");
    for (String n : List.of("0", "-3", "many")) {
      CliRun run = cli(semantic(data, data.resolve("predictions"), out, "--partitions", n));
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).contains("--partitions").contains("at least 1 (" + n + ")");
    }
  }
}

package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.cli.SegsparkCli;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code label} leaves in its output folder: the record of what wrote it (a resume with
 * another model, spec or formats is refused), resumed rows as complete as fresh ones, and no {@code
 * _SUCCESS} after a failed job.
 */
class LabelOutputTest extends SparkTestBase {
  private static final String LINDAU = "lindau/lindau_000000_000019_leftImg8bit.png";

  @TempDir static Path tmp;
  static Path images;

  @BeforeAll
  static void data() {
    Path root = tmp.resolve("data");
    actions().synth(new SynthSpec(root, 6, 8, 64, 128, false, "val", 0)).execute();
    images = root.resolve("leftImg8bit/val");
  }

  private static LabelSpec spec(
      ModelSpec model, Path in, Path out, boolean resume, OnError onError, String... formats) {
    return new LabelSpec(
        model,
        in.toString(),
        out,
        List.of(formats),
        resume,
        onError,
        2,
        EvalSpec.DEFAULT_MAX_PIXELS);
  }

  private static LabelResult label(ModelSpec model, Path out, boolean resume, String... formats) {
    return actions().label(spec(model, images, out, resume, null, formats)).execute();
  }

  private static List<Row> manifest(Path out) {
    return spark.read().parquet(out.resolve(LabelAction.MANIFEST).toString()).collectAsList();
  }

  @Test
  void resumeWithAnotherModelOrFormatsIsRefusedNamingWhatDiffers() {
    Path out = tmp.resolve("mismatch");
    label(model("segformer-synth"), out, false, "ids");
    Map<String, String> before = fileDigests(out);

    assertThatThrownBy(() -> label(model("danet-synth"), out, true, "ids"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(out.toString())
        .hasMessageContaining("model")
        .hasMessageContaining("segformer-synth")
        .hasMessageContaining("danet-synth")
        .hasMessageContaining("new --out")
        .hasMessageContaining("--resume");
    assertThatThrownBy(() -> label(model("segformer-synth"), out, true, "ids", "color"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("formats")
        .hasMessageContaining("[ids]")
        .hasMessageContaining("[ids, color]");
    assertThat(fileDigests(out)).isEqualTo(before);

    int code =
        SegsparkCli.run(
            "label",
            "--model",
            "danet-synth",
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--resume");
    assertThat(code).isEqualTo(SegsparkCli.FAILURE);
  }

  @Test
  void resumeWithAnotherSpecOfTheSameModelIsRefused() throws IOException {
    Path out = tmp.resolve("spec-mismatch");
    label(model("segformer-synth"), out, false, "ids");
    Path yaml = tmp.resolve("segformer-bgr.yaml");
    String text =
        Files.readString(repoRoot().resolve("conf/models/segformer-synth.yaml"))
            .replace(
                "segformer-synth.pt",
                repoRoot().resolve("conf/models/segformer-synth.pt").toString())
            .replace("channels: RGB", "channels: BGR");
    Files.writeString(yaml, text);
    ModelSpec bgr = ModelSpecs.load(yaml);
    assertThatThrownBy(() -> label(bgr, out, true, "ids"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("channels");
  }

  @Test
  void resumedRowsKeepTheirMeanConfidence() {
    Path out = tmp.resolve("confidence");
    ModelSpec model = model("segformer-synth");
    label(model, out, false, "ids", "color");
    Map<String, Double> fresh = confidences(manifest(out));
    assertThat(fresh).hasSize(6).doesNotContainValue(Double.NaN);

    LabelResult again = label(model, out, true, "ids", "color");
    assertThat(again.resumed()).isEqualTo(6);
    List<Row> rows = manifest(out);
    assertThat(rows).allSatisfy(r -> assertThat(r.getBoolean(r.fieldIndex("resumed"))).isTrue());
    assertThat(confidences(rows)).isEqualTo(fresh);
    assertThat(rows).allSatisfy(r -> assertThat(r.getList(r.fieldIndex("histogram"))).hasSize(20));
  }

  @Test
  void resumePredictsAgainAnImageWhoseMasksAreNotVouchedFor() throws IOException {
    Path out = tmp.resolve("unvouched");
    ModelSpec model = model("segformer-synth");
    label(model, out, false, "ids");
    // a run killed between an image's masks and its record leaves the masks unvouched for
    List<Path> records;
    try (Stream<Path> walk = Files.walk(out)) {
      records = walk.filter(p -> p.toString().endsWith(LINDAU.replace(".png", ".json"))).toList();
    }
    assertThat(records).hasSize(1);
    Files.delete(records.get(0));
    LabelResult again = label(model, out, true, "ids");
    assertThat(again.resumed()).isEqualTo(5);
    assertThat(again.labelled()).isEqualTo(1);
    assertThat(records.get(0)).isRegularFile();
  }

  @Test
  void failedJobLeavesNoSuccessMarkerAndNoOldManifest() throws IOException {
    Path out = tmp.resolve("failed");
    ModelSpec model = model("segformer-synth");
    label(model, out, false, "ids");
    assertThat(out.resolve(LabelAction.MANIFEST).resolve("_SUCCESS")).exists();

    Path broken = tmp.resolve("broken");
    for (String city : List.of("lindau", "munster")) {
      Files.createDirectories(broken.resolve(city));
      try (Stream<Path> files = Files.list(images.resolve(city))) {
        for (Path p : files.toList()) {
          Files.copy(p, broken.resolve(city).resolve(p.getFileName()));
        }
      }
    }
    Files.writeString(broken.resolve(LINDAU), "not a PNG");
    assertThatThrownBy(
            () -> actions().label(spec(model, broken, out, false, OnError.FAIL, "ids")).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining(LINDAU)
        .hasMessageContaining(LabelAction.FAILED_MANIFEST);
    assertThat(out.resolve(LabelAction.MANIFEST)).doesNotExist();
    try (Stream<Path> walk = Files.walk(out)) {
      assertThat(walk.map(p -> p.getFileName().toString())).doesNotContain("_SUCCESS");
    }
    // the rows of what was done stay readable, under a name no reader takes for the manifest
    List<Row> rows =
        spark.read().parquet(out.resolve(LabelAction.FAILED_MANIFEST).toString()).collectAsList();
    assertThat(rows).hasSize(4);
    assertThat(rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("error")))).hasSize(1);

    int code =
        SegsparkCli.run(
            "label",
            "--model",
            "segformer-synth",
            "--images",
            broken.toString(),
            "--out",
            out.toString());
    assertThat(code).isEqualTo(SegsparkCli.FAILURE);

    label(model, out, false, "ids");
    assertThat(out.resolve(LabelAction.MANIFEST).resolve("_SUCCESS")).exists();
    assertThat(out.resolve(LabelAction.FAILED_MANIFEST)).doesNotExist();
  }

  private static Map<String, Double> confidences(List<Row> rows) {
    return rows.stream()
        .collect(
            Collectors.toMap(
                r -> r.getString(0),
                r -> {
                  int i = r.fieldIndex("meanConfidence");
                  return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
                }));
  }
}

package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import dev.segspark.udfs.sql.SegmentUdf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled models through the Spark jobs: quality on frames of a seed no model was trained on,
 * {@code label} + {@code evaluate --predictions} equal to {@code evaluate --model}, resume, SQL,
 * and bad input.
 */
class ModelJobTest extends SparkTestBase {
  private static final String NORMALISATION =
      "mean: [123.675, 116.28, 103.53]\nstd: [58.395, 57.12, 57.375]\n";

  @TempDir static Path tmp;
  static Path heldOut;
  static Path small;

  @BeforeAll
  static void data() {
    heldOut = tmp.resolve("held-out");
    actions().synth(new SynthSpec(heldOut, 200, 2026, 256, 512, false, "val", 0)).execute();
    small = tmp.resolve("small");
    actions().synth(new SynthSpec(small, 12, 2027, 256, 512, false, "val", 0)).execute();
  }

  @ParameterizedTest
  @ValueSource(strings = {"segformer-synth", "danet-synth", "detr-panoptic-synth"})
  void bundledModelReachesMiouOf080OnHeldOutFrames(String name) {
    assertThat(heldOutMiou(name)).isGreaterThanOrEqualTo(0.80);
  }

  private static double heldOutMiou(String name) {
    Path out = tmp.resolve("quality-" + name);
    var report = actions().evaluate(modelSpec(heldOut, out, model(name), 0)).execute().report();
    double miou = report.scores().summary().mIoU();
    System.out.printf("%s: mIoU %.4f on 200 held-out frames (seed 2026)%n", name, miou);
    assertThat(report.errors()).isEmpty();
    assertThat(report.dataset().images()).isEqualTo(200);
    return miou;
  }

  @ParameterizedTest
  @ValueSource(strings = {"segformer-synth", "detr-panoptic-synth"})
  void labelThenEvaluatePredictionsEqualsEvaluateWithModel(String name) {
    ModelSpec model = model(name);
    Path masks = tmp.resolve("label-" + name);
    LabelResult labelled =
        actions()
            .label(labelSpec(model, small.resolve("leftImg8bit/val"), masks, 3, "ids"))
            .execute();
    assertThat(labelled.labelled()).isEqualTo(12);
    actions()
        .evaluate(
            EvalSpec.of(
                DatasetSpec.of("cityscapes", small, "val"),
                masks.resolve("ids"),
                tmp.resolve("from-masks-" + name)))
        .execute();
    actions().evaluate(modelSpec(small, tmp.resolve("with-model-" + name), model, 5)).execute();
    Map<String, Object> fromMasks = reportWithoutRun(tmp.resolve("from-masks-" + name));
    Map<String, Object> withModel = reportWithoutRun(tmp.resolve("with-model-" + name));
    assertThat(fromMasks).isEqualTo(withModel);
  }

  @Test
  void detrLabelWritesCocoPanoptic() throws IOException {
    Path out = tmp.resolve("label-detr-panoptic");
    actions()
        .label(
            labelSpec(
                model("detr-panoptic-synth"), small.resolve("leftImg8bit/val"), out, 2, "ids"))
        .execute();
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(out.resolve(LabelAction.PANOPTIC_JSON).toFile());
    assertThat(json.get("annotations")).hasSize(12);
    assertThat(json.get("categories")).hasSize(19);
    var first = json.get("annotations").get(0);
    Path png = out.resolve("panoptic").resolve(first.get("file_name").asText());
    var image = Png.decode(Files.readAllBytes(png), png.toString());
    long area = 0;
    for (var segment : first.get("segments_info")) {
      area += segment.get("area").asLong();
    }
    // every pixel of the image belongs to a listed segment (DETR assigns all pixels)
    assertThat(area).isEqualTo((long) image.width() * image.height());
  }

  @Test
  void resumeKeepsExistingMasksAndPredictsOnlyMissingOnes() throws IOException {
    ModelSpec model = model("segformer-synth");
    Path out = tmp.resolve("resume");
    Path images = small.resolve("leftImg8bit/val");
    actions().label(labelSpec(model, images, out, 2, "ids", "color")).execute();
    Path keep = out.resolve("ids/frankfurt/frankfurt_000000_000019_leftImg8bit.png");
    Path gone = out.resolve("color/lindau/lindau_000000_000019_leftImg8bit.png");
    FileTime before = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(keep, before);
    byte[] goneBytes = Files.readAllBytes(gone);
    Files.delete(gone);
    LabelResult second =
        actions()
            .label(
                new LabelSpec(
                    model,
                    images.toString(),
                    out,
                    List.of("ids", "color"),
                    true,
                    null,
                    2,
                    EvalSpec.DEFAULT_MAX_PIXELS))
            .execute();
    assertThat(second.resumed()).isEqualTo(11);
    assertThat(second.labelled()).isEqualTo(1);
    assertThat(Files.getLastModifiedTime(keep)).isEqualTo(before);
    assertThat(Files.readAllBytes(gone)).isEqualTo(goneBytes);
    List<Row> manifest =
        spark.read().parquet(out.resolve(LabelAction.MANIFEST).toString()).collectAsList();
    assertThat(manifest).hasSize(12);
    // resumed rows still carry the class histogram, read back from the ids mask
    assertThat(manifest).allSatisfy(r -> assertThat(r.getList(3)).hasSize(20));
  }

  @Test
  void sqlFunctionGivesTheLabelCommandsIdsMasks() throws IOException {
    ModelSpec model = model("segformer-synth");
    Path out = tmp.resolve("sql-label");
    Path images = small.resolve("leftImg8bit/val/munster");
    actions().label(labelSpec(model, images, out, 1, "ids")).execute();
    SegmentUdf.register(spark, "segment", model);
    spark.read().format("binaryFile").load(images.toString()).createOrReplaceTempView("frames");
    List<Row> rows = spark.sql("SELECT path, segment(content) FROM frames").collectAsList();
    assertThat(rows).isNotEmpty();
    for (Row r : rows) {
      String name = Path.of(java.net.URI.create(r.getString(0))).getFileName().toString();
      byte[] mask = r.getAs(1);
      LabelMap fromSql = Png.decodeLabelMap(mask, name);
      Path written = out.resolve("ids").resolve(name);
      LabelMap fromLabel = Png.decodeLabelMap(Files.readAllBytes(written), written.toString());
      assertThat(fromSql.bytes()).isEqualTo(fromLabel.bytes());
    }
  }

  @Test
  void undecodableImageFailsNamingItAndSkipRecordsIt() throws IOException {
    Path root = tmp.resolve("corrupt");
    actions().synth(new SynthSpec(root, 4, 5, 256, 512, false, "val", 0)).execute();
    Path bad = root.resolve("leftImg8bit/val/lindau/lindau_000000_000019_leftImg8bit.png");
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 3)); // truncated
    ModelSpec model = model("segformer-synth");
    assertThatThrownBy(
            () -> actions().evaluate(modelSpec(root, root.resolve("out"), model, 2)).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining(bad.toString());
    EvalSpec skip = modelSpec(root, root.resolve("out-skip"), model, 2).withOnError(OnError.SKIP);
    var report = actions().evaluate(skip).execute().report();
    assertThat(report.errors()).hasSize(1);
    assertThat(report.errors().get(0).error()).contains(bad.toString());
    assertThat(report.dataset().images()).isEqualTo(3);
  }

  @Test
  void imageOverMaxPixelsFailsNamingIt() {
    Path images = small.resolve("leftImg8bit/val/munster");
    LabelSpec spec =
        new LabelSpec(
            model("segformer-synth"),
            images.toString(),
            tmp.resolve("too-big"),
            List.of("ids"),
            false,
            OnError.FAIL,
            1,
            256 * 512 - 1);
    assertThatThrownBy(() -> actions().label(spec).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("munster_000000_000019_leftImg8bit.png")
        .hasMessageContaining("exceeds --max-pixels");
  }

  @Test
  void modelWithAnotherClassCountIsRejectedBeforeTasks() throws IOException {
    Path spec = tmp.resolve("ade-model.yaml");
    Files.writeString(
        spec,
        "model: "
            + repoRoot().resolve("conf/models/segformer-synth.pt")
            + "\nclasses: ade20k\nnumClasses: 150\ninput: {height: 256, width: 512}\n"
            + NORMALISATION);
    ModelSpec ade = ModelSpecs.load(spec);
    assertThatThrownBy(
            () -> actions().evaluate(modelSpec(small, tmp.resolve("ade-out"), ade, 2)).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(spec.toString())
        .hasMessageContaining("150 classes")
        .hasMessageContaining("19 train classes");
  }

  @Test
  void specDisagreeingWithTheModelOutputIsRejectedBeforeTasks() throws IOException {
    // DETR returns (pred_logits [B,Q,20], pred_masks): read as logits, the shape is rejected
    Path spec = tmp.resolve("wrong-adapter.yaml");
    Files.writeString(
        spec,
        "model: "
            + repoRoot().resolve("conf/models/detr-panoptic-synth.pt")
            + "\nadapter: logits\nclasses: cityscapes\nnumClasses: 19\n"
            + "input: {height: 256, width: 512}\n"
            + NORMALISATION);
    ModelSpec wrong = ModelSpecs.load(spec);
    assertThatThrownBy(
            () ->
                actions().evaluate(modelSpec(small, tmp.resolve("wrong-out"), wrong, 2)).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("detr-panoptic-synth.pt")
        .hasMessageContaining("output shape");
  }

  @Test
  void missingAndCorruptModelFilesAreRejectedNamingThem() throws IOException {
    Path missing = tmp.resolve("missing.yaml");
    Files.writeString(
        missing,
        "model: nowhere.pt\nclasses: cityscapes\nnumClasses: 19\ninput: {height: 8, width: 8}\n"
            + NORMALISATION);
    ModelSpec noFile = ModelSpecs.load(missing);
    assertThatThrownBy(
            () -> actions().evaluate(modelSpec(small, tmp.resolve("m-out"), noFile, 2)).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(tmp.resolve("nowhere.pt").toString())
        .hasMessageContaining("no such file");

    Path corruptPt = tmp.resolve("corrupt.pt");
    Files.write(corruptPt, "not a TorchScript archive".getBytes());
    Path corrupt = tmp.resolve("corrupt.yaml");
    Files.writeString(
        corrupt,
        "model: corrupt.pt\nclasses: cityscapes\nnumClasses: 19\ninput: {height: 8, width: 8}\n"
            + NORMALISATION);
    ModelSpec bad = ModelSpecs.load(corrupt);
    assertThatThrownBy(
            () -> actions().evaluate(modelSpec(small, tmp.resolve("c-out"), bad, 2)).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(corruptPt.toString())
        .hasMessageContaining("not a readable TorchScript file");
  }
}

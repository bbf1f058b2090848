package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.ml.PanopticSegmenter;
import dev.segspark.udfs.ml.SemanticSegmenter;
import dev.segspark.udfs.partition.LabelLayout;
import dev.segspark.udfs.partition.MaskRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ML stages against {@code segspark label}: the same model over the same images gives the same
 * mask bytes, histograms and panoptic segments; save / load; bad params; on-error.
 */
class SegmenterTransformerTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path images;
  static Path labelled;
  static int count;

  @BeforeAll
  static void data() throws IOException {
    Path root = tmp.resolve("synth");
    actions().synth(new SynthSpec(root, 15, 31, 256, 512, false, "val", 0)).execute();
    images = root.resolve("leftImg8bit/val/munster");
    try (var files = Files.list(images)) {
      count = (int) files.count();
    }
    assertThat(count).isGreaterThan(4); // more than one batch of segformer-synth
    labelled = tmp.resolve("label");
    actions().label(labelSpec(model("segformer-synth"), images, labelled, 2, "ids")).execute();
  }

  private static Dataset<Row> binaryFiles(Path folder) {
    return spark.read().format("binaryFile").load(folder.toString());
  }

  private static String name(Row row) {
    return Path.of(URI.create(row.<String>getAs("path"))).getFileName().toString();
  }

  /** ids PNG bytes per image name. */
  private static Map<String, byte[]> masks(Dataset<Row> out) {
    Map<String, byte[]> masks = new HashMap<>();
    for (Row r : out.select("path", "ids", "error").collectAsList()) {
      assertThat(r.<String>getAs("error")).isNull();
      masks.put(name(r), r.getAs("ids"));
    }
    return masks;
  }

  private static void assertSameAsLabel(Map<String, byte[]> masks) throws IOException {
    assertThat(masks).hasSize(count);
    for (var e : masks.entrySet()) {
      byte[] written = Files.readAllBytes(labelled.resolve("ids").resolve(e.getKey()));
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(written);
    }
  }

  @Test
  void pipelineOverBinaryFilesGivesTheMasksLabelWrites() throws IOException {
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {new SemanticSegmenter().setModelSpec("segformer-synth")});
    Dataset<Row> input = binaryFiles(images);
    Dataset<Row> out = pipeline.fit(input).transform(input);
    assertThat(out.columns())
        .containsExactly(
            "path",
            "modificationTime",
            "length",
            "content",
            "ids",
            "histogram",
            "confidence",
            "error");
    assertSameAsLabel(masks(out));
    for (Row r : out.collectAsList()) {
      MaskRecord record = MaskRecord.read(labelled.resolve(LabelLayout.record(name(r))));
      List<Long> histogram = r.getList(r.fieldIndex("histogram"));
      assertThat(histogram.stream().mapToLong(Long::longValue).toArray())
          .isEqualTo(record.histogram());
      assertThat(r.<Double>getAs("confidence")).isBetween(0.0, 1.0);
    }
  }

  @Test
  void pathColumnAndOtherColumnNamesGiveTheSameMasks() throws IOException {
    Dataset<Row> paths =
        binaryFiles(images).select("path").withColumnRenamed("path", "file").repartition(3);
    Dataset<Row> out =
        new SemanticSegmenter()
            .setModelSpec("segformer-synth")
            .setInputCol("file")
            .setIdsCol("mask")
            .setBatchSize(2)
            .transform(paths);
    Map<String, byte[]> masks = new HashMap<>();
    for (Row r : out.collectAsList()) {
      assertThat(r.<String>getAs("error")).isNull();
      masks.put(Path.of(URI.create(r.getString(0))).getFileName().toString(), r.getAs("mask"));
    }
    assertSameAsLabel(masks);
  }

  @Test
  void savedAndLoadedStagesGiveTheSameOutput() throws IOException {
    SemanticSegmenter segmenter =
        new SemanticSegmenter().setModelSpec("segformer-synth").setBatchSize(3).setOnError("skip");
    Path saved = tmp.resolve("stage");
    segmenter.save(saved.toString());
    SemanticSegmenter loaded = SemanticSegmenter.load(saved.toString());
    assertThat(loaded.uid()).isEqualTo(segmenter.uid());
    assertThat(loaded.getModelSpec()).isEqualTo("segformer-synth");
    assertThat(loaded.getBatchSize()).isEqualTo(3);
    assertThat(loaded.getOnError()).isEqualTo("skip");
    Dataset<Row> input = binaryFiles(images);
    assertSameAsLabel(masks(loaded.transform(input)));

    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {segmenter}).fit(input);
    Path pipeline = tmp.resolve("pipeline");
    model.write().overwrite().save(pipeline.toString());
    PipelineModel back = PipelineModel.load(pipeline.toString());
    assertThat(back.stages()[0]).isInstanceOf(SemanticSegmenter.class);
    assertSameAsLabel(masks(back.transform(input)));
  }

  @Test
  void badParamsFailWithClearMessages() {
    Dataset<Row> input = binaryFiles(images);
    assertThatThrownBy(
            () ->
                new SemanticSegmenter()
                    .setModelSpec("segformer-synth")
                    .setInputCol("image")
                    .transform(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no input column image")
        .hasMessageContaining("content");
    assertThatThrownBy(
            () ->
                new SemanticSegmenter()
                    .setModelSpec("segformer-synth")
                    .setInputCol("length")
                    .transform(input))
        .hasMessageContaining("must hold image bytes (binary) or paths (string), not bigint");
    assertThatThrownBy(() -> new SemanticSegmenter().setOnError("ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot set onError: expected fail or skip (ignore)");
    assertThatThrownBy(() -> new SemanticSegmenter().transform(input))
        .hasMessageContaining("no model");
    assertThatThrownBy(
            () ->
                new SemanticSegmenter()
                    .setModelSpec("segformer-synth")
                    .setIdsCol("path")
                    .transform(input))
        .hasMessageContaining("output column path exists already");
    assertThatThrownBy(() -> new SemanticSegmenter().setModelSpec("no-such-model").transform(input))
        .hasMessageContaining("Cannot load model spec no-such-model");
    assertThatThrownBy(
            () -> new PanopticSegmenter().setModelSpec("segformer-synth").transform(input))
        .hasMessageContaining("model segformer-synth is not panoptic");
  }

  @Test
  void skipRecordsACorruptImageAndFailStopsNamingIt() throws IOException {
    Path folder = tmp.resolve("corrupt");
    Files.createDirectories(folder);
    List<Path> files;
    try (var list = Files.list(images)) {
      files = list.sorted().limit(3).toList();
    }
    for (Path f : files) {
      Files.copy(f, folder.resolve(f.getFileName()));
    }
    Path bad = folder.resolve(files.get(1).getFileName());
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, Arrays.copyOf(bytes, bytes.length / 3));
    Dataset<Row> input = binaryFiles(folder);

    List<Row> rows =
        new SemanticSegmenter()
            .setModelSpec("segformer-synth")
            .setOnError("skip")
            .transform(input)
            .select("path", "ids", "histogram", "error")
            .collectAsList();
    assertThat(rows).hasSize(3);
    for (Row r : rows) {
      if (name(r).equals(bad.getFileName().toString())) {
        assertThat(r.<String>getAs("error")).contains(bad.getFileName().toString());
        assertThat(r.isNullAt(1)).isTrue();
        assertThat(r.isNullAt(2)).isTrue();
      } else {
        assertThat(r.<String>getAs("error")).isNull();
        byte[] written = Files.readAllBytes(labelled.resolve("ids").resolve(name(r)));
        assertThat(r.<byte[]>getAs("ids")).isEqualTo(written);
      }
    }
    assertThatThrownBy(
            () ->
                new SemanticSegmenter()
                    .setModelSpec("segformer-synth")
                    .transform(input)
                    .select("ids")
                    .collectAsList())
        .hasMessageContaining(bad.getFileName().toString());
  }

  @Test
  void panopticSegmenterGivesLabelsSegmentsAndPngs() throws IOException {
    Path out = tmp.resolve("label-panoptic");
    actions().label(labelSpec(model("detr-panoptic-synth"), images, out, 1, "ids")).execute();
    PanopticSegmenter segmenter =
        PanopticSegmenter.load(
            savedPanoptic(new PanopticSegmenter().setModelSpec("detr-panoptic-synth")));
    List<Row> rows =
        segmenter
            .transform(binaryFiles(images).select("path", "content"))
            .select("path", "ids", "segments", "panoptic", "error", "confidence")
            .collectAsList();
    assertThat(rows).hasSize(count);
    for (Row r : rows) {
      String stem = LabelLayout.stem(name(r));
      assertThat(r.<String>getAs("error")).isNull();
      assertThat(r.<byte[]>getAs("ids"))
          .isEqualTo(Files.readAllBytes(out.resolve("ids").resolve(name(r))));
      assertThat(r.<String>getAs("segments"))
          .isEqualTo(Files.readString(out.resolve("panoptic").resolve(stem + ".json")));
      assertThat(r.<byte[]>getAs("panoptic"))
          .isEqualTo(Files.readAllBytes(out.resolve("panoptic").resolve(stem + ".png")));
    }
  }

  private static String savedPanoptic(PanopticSegmenter segmenter) throws IOException {
    Path saved = tmp.resolve("panoptic-stage");
    segmenter.write().overwrite().save(saved.toString());
    return saved.toString();
  }

  @Test
  void encodersOfTheOutputAreUsable() {
    Dataset<Row> out =
        new SemanticSegmenter().setModelSpec("segformer-synth").transform(binaryFiles(images));
    assertThat(out.filter("error IS NULL").select("path").as(Encoders.STRING()).count())
        .isEqualTo(count);
  }
}

package dev.segspark.jobs.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.io.OutputSet;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.udfs.io.MaskEncoder;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.LabelItem;
import dev.segspark.udfs.partition.LabelLayout;
import dev.segspark.udfs.partition.LabelPartition;
import dev.segspark.udfs.partition.LabelRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Labels images with a model: lists them on the driver, records what writes the folder ({@code
 * _segspark.json}, see {@link LabelRecord}), predicts and writes masks on executors (atomically,
 * idempotent under retries and speculation), then commits {@code manifest.parquet} and, for
 * DETR-panoptic models, {@code panoptic.json} as a unit (see {@link OutputSet}; the manifest is the
 * marker, and a run removes the previous one when it starts).
 *
 * <p>A job that fails (exit 1: an image failed under {@code --on-error fail}) writes no {@code
 * manifest.parquet} and no {@code panoptic.json}: the rows of what it did go to {@code
 * manifest.failed.parquet}, without {@code _SUCCESS}, and its masks stay for {@code --resume}.
 */
public final class LabelAction extends BaseAction<LabelAction, LabelSpec, LabelResult> {
  /** The manifest (a Spark Parquet folder). */
  public static final String MANIFEST = LabelLayout.MANIFEST;

  /** The rows of a failed job (no {@code _SUCCESS}): never taken for a finished manifest. */
  public static final String FAILED_MANIFEST = LabelLayout.FAILED_MANIFEST;

  /** COCO-panoptic JSON of DETR-panoptic runs. */
  public static final String PANOPTIC_JSON = LabelLayout.PANOPTIC_JSON;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  LabelAction(Runner runner, LabelSpec spec) {
    super(runner, spec, "label", spec.onError());
  }

  /** The model's name and the images. */
  @Override
  String subject() {
    return spec.model().name() + " " + spec.images();
  }

  @Override
  LabelResult run() {
    ModelSpec model = spec.model();
    List<LabelItem> items = LabelInputs.list(spec);
    ModelCheck check = ModelCheck.start(model, model.table(), model.table().name());
    spark(); // the session starts while the model is checked
    check.await();
    LabelRecord record = LabelRecord.of(model, spec.formats());
    record.claim(spec.out(), spec.resume());
    return committed(
        OutputSet.open(spec.out(), MANIFEST, List.of(FAILED_MANIFEST, PANOPTIC_JSON)),
        staging -> label(items, record, staging));
  }

  private LabelResult label(List<LabelItem> items, LabelRecord record, Path staging) {
    ModelSpec model = spec.model();
    List<List<LabelItem>> batches = JobSupport.batches(items, model.batchSize());
    int partitions = modelPartitions(spec.partitions(), batches.size());
    LabelPartition.Options options =
        new LabelPartition.Options(
            spec.out().toAbsolutePath().toString(),
            spec.formats(),
            spec.resume(),
            spec.maxPixels(),
            record.fingerprint());
    JavaRDD<LabelRow> rows =
        jsc()
            .parallelize(batches, partitions)
            .mapPartitions(new LabelPartition(model, options, images()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<ImageError> errors;
      long labelled;
      long resumed;
      try (ProgressLine line = progress(items.size())) {
        errors =
            rows.filter(r -> r.error() != null)
                .map(r -> new ImageError(r.image(), r.error()))
                .collect();
        resumed = rows.filter(LabelRow::resumed).count();
        labelled = items.size() - errors.size() - resumed;
      }
      removeLeftoverTempFiles(spec.out());
      List<ImageError> sorted = sortedOrWriteFailed(errors, rows, items.size());
      writeManifest(rows, items.size(), staging.resolve(MANIFEST), true);
      if (model.head().panoptic()) {
        writePanopticJson(rows.filter(r -> r.error() == null).collect(), staging);
      }
      return new LabelResult(items.size(), labelled, resumed, sorted, seconds(), spec.out());
    } finally {
      rows.unpersist(false);
    }
  }

  /**
   * The errors, sorted; under {@code --on-error fail}, if any, the rows go to {@link
   * #FAILED_MANIFEST} and the job stops.
   */
  private List<ImageError> sortedOrWriteFailed(
      List<ImageError> errors, JavaRDD<LabelRow> rows, int images) {
    try {
      return sortedOrFail(errors, images);
    } catch (JobFailedException e) {
      Path failed = spec.out().resolve(FAILED_MANIFEST);
      writeManifest(rows, images, failed, false);
      throw new JobFailedException(
          e.getMessage()
              + System.lineSeparator()
              + "The rows of this run are in "
              + failed
              + " (not a finished manifest: no _SUCCESS); its masks stay for --resume.");
    }
  }

  /** Temp files of tasks that died mid-write (killed executors); finished masks are untouched. */
  private static void removeLeftoverTempFiles(Path out) {
    if (!Files.isDirectory(out)) {
      return;
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (AtomicFiles.isTemp(name)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean " + out + ": " + e.getMessage(), e);
    }
  }

  private void writeManifest(JavaRDD<LabelRow> rows, int images, Path folder, boolean success) {
    String model = spec.model().name();
    JavaRDD<Row> manifest = rows.map(r -> ManifestRow.of(r, model));
    JobSupport.writeTable(manifest, ManifestRow.SCHEMA, folder, images, success);
  }

  /**
   * COCO panoptic JSON: images, annotations (PNG + segments_info), categories; image ids as {@link
   * LabelLayout#imageIds} gives them (Cityscapes ids for Cityscapes frames).
   */
  private void writePanopticJson(List<LabelRow> rows, Path dir) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode images = root.putArray("images");
    ArrayNode annotations = root.putArray("annotations");
    List<LabelRow> sorted = new ArrayList<>(rows);
    sorted.sort((a, b) -> a.image().compareTo(b.image()));
    Map<String, String> ids = LabelLayout.imageIds(sorted.stream().map(LabelRow::image).toList());
    try {
      for (LabelRow r : sorted) {
        String id = ids.get(r.image());
        ObjectNode image = images.addObject();
        image.put("id", id);
        image.put("file_name", r.image());
        image.put("width", r.width());
        image.put("height", r.height());
        ObjectNode ann = annotations.addObject();
        ann.put("image_id", id);
        ann.put("file_name", LabelLayout.panopticPng(r.image()));
        JsonNode segments = JSON.readTree(r.segments());
        ann.set("segments_info", segments);
      }
      ArrayNode categories = root.putArray("categories");
      MaskEncoder encoder =
          new MaskEncoder(
              spec.model().table(), spec.model().outputIds(), spec.model().numClasses());
      for (int k = 0; k < spec.model().numClasses(); k++) {
        Label label = spec.model().table().byId(encoder.idOfIndex(k));
        ObjectNode c = categories.addObject();
        c.put("id", encoder.idOfIndex(k));
        c.put("name", label == null ? "class" + k : label.name());
        c.put("isthing", label != null && label.hasInstances() ? 1 : 0);
        int rgb = label == null ? 0 : label.rgb();
        c.putArray("color").add((rgb >> 16) & 255).add((rgb >> 8) & 255).add(rgb & 255);
      }
      AtomicFiles.write(dir.resolve(PANOPTIC_JSON), JSON.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + PANOPTIC_JSON + ": " + e.getMessage(), e);
    }
  }
}

package dev.segspark.udfs.partition;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.MaskEncoder;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.InferenceLoop;
import dev.segspark.udfs.model.ModelSpec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Labels a partition's images: the model predicts, and each requested mask is written atomically
 * (see {@link AtomicFiles}) under {@code <out>/<format>/<relative path>}. DETR-panoptic models also
 * write COCO-panoptic PNGs ({@code panoptic/}) with a {@code segments_info} sidecar JSON (see
 * {@link LabelLayout}). Last, an image's {@link MaskRecord} vouches for its masks. With {@code
 * resume}, images whose masks all exist and whose record names this run's settings are not
 * predicted again; their rows come from the record. Elements are the driver's batches (see {@link
 * InferenceLoop}).
 */
public final class LabelPartition implements FlatMapFunction<Iterator<List<LabelItem>>, LabelRow> {
  private static final long serialVersionUID = 1L;

  /**
   * What to write.
   *
   * @param out output folder (a local or shared filesystem path)
   * @param formats subset of {@link LabelLayout#FORMATS}
   * @param resume skip images whose masks exist
   * @param maxPixels larger images are rejected
   * @param writer fingerprint of the settings that write the masks (kept in each {@link
   *     MaskRecord}; resume keeps only masks of the same fingerprint)
   */
  public record Options(
      String out, List<String> formats, boolean resume, long maxPixels, String writer)
      implements Serializable {}

  private final ModelSpec model;
  private final Options options;
  private final MaskEncoder encoder;
  private final LongAccumulator progress;

  public LabelPartition(ModelSpec model, Options options, LongAccumulator progress) {
    this.model = model;
    this.options = options;
    this.encoder = SegmentRows.encoder(model);
    this.progress = progress;
  }

  @Override
  public Iterator<LabelRow> call(Iterator<List<LabelItem>> it) {
    boolean panoptic = model.head().panoptic();
    Path out = FsPaths.of(options.out());
    List<LabelRow> rows = new ArrayList<>();
    List<List<LabelItem>> todo = new ArrayList<>();
    while (it.hasNext()) {
      List<LabelItem> batch = new ArrayList<>();
      for (LabelItem item : it.next()) {
        LabelRow kept = options.resume() ? resumed(item, out, panoptic) : null;
        if (kept != null) {
          rows.add(kept);
          tick();
        } else {
          batch.add(item);
        }
      }
      if (!batch.isEmpty()) {
        todo.add(batch);
      }
    }
    if (todo.isEmpty()) {
      return rows.iterator();
    }
    try (SegmentRows segment = new SegmentRows(model)) {
      segment.run(
          todo,
          item -> ImageDecoder.read(item.image(), options.maxPixels()),
          result -> {
            rows.add(write(result, out, panoptic));
            tick();
          });
    }
    return rows.iterator();
  }

  private void tick() {
    if (progress != null) {
      progress.add(1);
    }
  }

  private LabelRow write(SegmentRows.Result<LabelItem> r, Path out, boolean panoptic) {
    LabelItem item = r.item();
    long start = System.nanoTime();
    double shareMillis =
        (r.times().decode()
                + r.times().preprocess()
                + r.times().inference()
                + r.times().postprocess())
            / 1e6;
    if (r.error() != null) {
      return LabelRow.failed(item, r.error(), shareMillis);
    }
    try {
      List<String> paths = LabelLayout.outputs(item.relative(), options.formats(), panoptic);
      SegmentOutput mask = r.output();
      int p = 0;
      for (String format : options.formats()) {
        byte[] data =
            switch (format) {
              case "ids" -> mask.idsPng();
              case "color" -> encoder.colorPng(mask.ids());
              case "overlay" -> encoder.overlayJpeg(r.image(), mask.ids());
              default -> throw new IllegalArgumentException("Unknown mask format " + format);
            };
        AtomicFiles.write(out.resolve(paths.get(p++)), data);
      }
      String segments = null;
      if (panoptic) {
        segments = mask.segments();
        AtomicFiles.write(out.resolve(paths.get(p++)), mask.panopticPng());
        AtomicFiles.write(out.resolve(paths.get(p)), segments.getBytes(StandardCharsets.UTF_8));
      }
      MaskRecord record =
          new MaskRecord(
              options.writer(),
              mask.labels().width(),
              mask.labels().height(),
              mask.confidence(),
              mask.histogram());
      AtomicFiles.write(out.resolve(LabelLayout.record(item.relative())), record.toJson());
      return new LabelRow(
          item.relative(),
          item.image(),
          paths,
          record.histogram(),
          record.width(),
          record.height(),
          record.confidence(),
          false,
          shareMillis + (System.nanoTime() - start) / 1e6,
          segments,
          null);
    } catch (InvalidInputException e) {
      return LabelRow.failed(item, e.getMessage(), shareMillis);
    }
  }

  /**
   * The row of an image whose masks all exist and whose record names this run's writer, else {@code
   * null} (the image is predicted again).
   */
  private LabelRow resumed(LabelItem item, Path out, boolean panoptic) {
    long start = System.nanoTime();
    List<String> paths = LabelLayout.outputs(item.relative(), options.formats(), panoptic);
    MaskRecord record = MaskRecord.read(out.resolve(LabelLayout.record(item.relative())));
    if (record == null
        || !record.writer().equals(options.writer())
        || !paths.stream().allMatch(p -> Files.isRegularFile(out.resolve(p)))) {
      return null;
    }
    try {
      String segments =
          panoptic
              ? Files.readString(out.resolve(paths.get(paths.size() - 1)), StandardCharsets.UTF_8)
              : null;
      return new LabelRow(
          item.relative(),
          item.image(),
          paths,
          record.histogram(),
          record.width(),
          record.height(),
          record.confidence(),
          true,
          (System.nanoTime() - start) / 1e6,
          segments,
          null);
    } catch (IOException e) {
      return LabelRow.failed(item, "Cannot resume " + item.relative() + ": " + e.getMessage(), 0);
    }
  }
}

package dev.segspark.udfs.partition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;
import dev.segspark.evaluation.panoptic.DetrSegment;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.MaskEncoder;
import dev.segspark.udfs.model.InferenceLoop;
import dev.segspark.udfs.model.InferenceLoop.Outcome;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpec.Adapter;
import dev.segspark.udfs.model.Segmenter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
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
  private static final ObjectMapper JSON = new ObjectMapper();

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
    this.encoder = new MaskEncoder(model.table(), model.outputIds(), model.numClasses());
    this.progress = progress;
  }

  @Override
  public Iterator<LabelRow> call(Iterator<List<LabelItem>> it) {
    boolean panoptic = model.adapter() == Adapter.DETR_PANOPTIC;
    Path out = Path.of(options.out());
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
    try (Segmenter segmenter = new Segmenter(model)) {
      InferenceLoop.run(
          segmenter,
          todo,
          item -> ImageDecoder.read(item.image(), options.maxPixels()),
          image -> image,
          outcome -> {
            rows.add(write(outcome, out, panoptic));
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

  private LabelRow write(Outcome<LabelItem, DecodedImage> o, Path out, boolean panoptic) {
    LabelItem item = o.item();
    long start = System.nanoTime();
    double shareMillis =
        (o.times().decode()
                + o.times().preprocess()
                + o.times().inference()
                + o.times().postprocess())
            / 1e6;
    if (o.error() != null) {
      return LabelRow.failed(item, o.error(), shareMillis);
    }
    try {
      List<String> paths = LabelLayout.outputs(item.relative(), options.formats(), panoptic);
      LabelMap labels = o.segmentation().labels();
      LabelMap ids = encoder.ids(labels);
      int p = 0;
      for (String format : options.formats()) {
        byte[] data =
            switch (format) {
              case "ids" -> encoder.idsPng(ids);
              case "color" -> encoder.colorPng(ids);
              case "overlay" -> encoder.overlayJpeg(o.input(), ids);
              default -> throw new IllegalArgumentException("Unknown mask format " + format);
            };
        AtomicFiles.write(out.resolve(paths.get(p++)), data);
      }
      String segments = null;
      if (panoptic) {
        DetrPanopticOutput seg = o.segmentation().panoptic();
        segments = segmentsJson(seg);
        AtomicFiles.write(out.resolve(paths.get(p++)), panopticPng(seg));
        AtomicFiles.write(out.resolve(paths.get(p)), segments.getBytes(StandardCharsets.UTF_8));
      }
      MaskRecord record =
          new MaskRecord(
              options.writer(),
              labels.width(),
              labels.height(),
              o.segmentation().confidence(),
              encoder.histogram(labels));
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

  /** COCO-panoptic PNG: segment {@code i} has id {@code i + 1} = R + 256 G + 65536 B; 0 = void. */
  private static byte[] panopticPng(DetrPanopticOutput seg) {
    int n = seg.width() * seg.height();
    byte[] rgb = new byte[3 * n];
    if (!seg.segments().isEmpty()) {
      int[] map = seg.ids();
      for (int i = 0; i < n; i++) {
        int id = map[i] + 1;
        rgb[3 * i] = (byte) id;
        rgb[3 * i + 1] = (byte) (id >> 8);
        rgb[3 * i + 2] = (byte) (id >> 16);
      }
    }
    return Png.encodeRgb(seg.width(), seg.height(), rgb);
  }

  /** COCO {@code segments_info}: id, category_id (dataset label id), area, bbox, iscrowd. */
  private String segmentsJson(DetrPanopticOutput seg) {
    int w = seg.width();
    int segments = seg.segments().size();
    int[] x0 = new int[segments];
    int[] y0 = new int[segments];
    int[] x1 = new int[segments];
    int[] y1 = new int[segments];
    java.util.Arrays.fill(x0, Integer.MAX_VALUE);
    java.util.Arrays.fill(y0, Integer.MAX_VALUE);
    java.util.Arrays.fill(x1, -1);
    java.util.Arrays.fill(y1, -1);
    int[] map = seg.ids();
    for (int i = 0; segments > 0 && i < map.length; i++) {
      int s = map[i];
      int x = i % w;
      int y = i / w;
      x0[s] = Math.min(x0[s], x);
      y0[s] = Math.min(y0[s], y);
      x1[s] = Math.max(x1[s], x);
      y1[s] = Math.max(y1[s], y);
    }
    ArrayNode info = JSON.createArrayNode();
    for (DetrSegment s : seg.segments()) {
      ObjectNode node = info.addObject();
      node.put("id", s.id() + 1);
      node.put("category_id", encoder.idOfIndex(s.categoryId()));
      node.put("iscrowd", 0);
      node.put("isthing", s.isThing());
      node.put("area", s.area());
      ArrayNode bbox = node.putArray("bbox");
      bbox.add(x0[s.id()])
          .add(y0[s.id()])
          .add(x1[s.id()] - x0[s.id()] + 1)
          .add(y1[s.id()] - y0[s.id()] + 1);
      node.put("score", s.score());
    }
    try {
      return JSON.writeValueAsString(info);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

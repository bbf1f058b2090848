package dev.segspark.jobs.synth;

import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.jobs.data.Layout;
import dev.segspark.udfs.io.fs.FsPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes the frames of one partition and returns each frame's panoptic segments, from which the
 * driver writes {@code cityscapes_panoptic_<split>.json} once every PNG exists. Each frame's
 * content depends only on (seed, index), so the output is identical for any partitioning and safe
 * to re-run (files are written atomically).
 */
public final class SynthPartition implements FlatMapFunction<Iterator<Integer>, PanopticFrame> {
  private static final long serialVersionUID = 1L;
  private static final String[] CITIES = {"frankfurt", "lindau", "munster"};

  // plain fields: SynthSpec holds a Path, which is not serializable
  private final String out;
  private final long seed;
  private final int width;
  private final int height;
  private final boolean withPredictions;
  private final String split;
  private final LongAccumulator progress;

  /** Writes the frames of {@code spec}, adding each one written to {@code progress}. */
  public SynthPartition(SynthSpec spec, LongAccumulator progress) {
    this.out = spec.out().toAbsolutePath().toString();
    this.seed = spec.seed();
    this.width = spec.width();
    this.height = spec.height();
    this.withPredictions = spec.withPredictions();
    this.split = spec.split();
    this.progress = progress;
  }

  /** The Cityscapes name of frame {@code index}: {@code <city>_<seq>_<frame>}. */
  public static String frameName(int index) {
    return String.format(
        Locale.ROOT, "%s_%06d_%06d", CITIES[index % CITIES.length], index / CITIES.length, 19);
  }

  @Override
  public Iterator<PanopticFrame> call(Iterator<Integer> indices) {
    LabelTable table = LabelTables.builtIn("cityscapes");
    SceneRenderer renderer = new SceneRenderer(table);
    PanopticPainter painter = new PanopticPainter(table);
    List<PanopticFrame> frames = new ArrayList<>();
    while (indices.hasNext()) {
      frames.add(write(renderer, painter, indices.next()));
      progress.add(1);
    }
    return frames.iterator();
  }

  private PanopticFrame write(SceneRenderer renderer, PanopticPainter painter, int index) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
    Scene scene = Scene.random(width, height, rng.split());
    String name = frameName(index);
    String city = name.substring(0, name.indexOf('_'));
    int w = width;
    int h = height;
    Path root = FsPaths.of(out);
    Path gt = root.resolve("gtFine").resolve(split).resolve(city);
    byte[] labels = renderer.labels(scene);
    AtomicFiles.write(gt.resolve(name + "_gtFine_labelIds.png"), Png.encodeGrey8(w, h, labels));
    AtomicFiles.write(
        gt.resolve(name + "_gtFine_labelTrainIds.png"),
        Png.encodeGrey8(w, h, renderer.trainIds(labels)));
    short[] instances = renderer.instances(scene);
    AtomicFiles.write(
        gt.resolve(name + "_gtFine_instanceIds.png"), Png.encodeGrey16(w, h, instances));
    byte[] rgb = new byte[3 * w * h];
    PanopticFrame frame = new PanopticFrame(name, w, h, painter.paint(instances, w, rgb));
    AtomicFiles.write(
        Layout.panopticDir(root, split).resolve(frame.pngName()), Png.encodeRgb(w, h, rgb));
    AtomicFiles.write(
        gt.resolve(name + "_gtFine_color.png"),
        Png.encodePalette(w, h, labels, renderer.palette()));
    Path frames = root.resolve("leftImg8bit").resolve(split).resolve(city);
    AtomicFiles.write(
        frames.resolve(name + "_leftImg8bit.png"),
        Png.encodeRgb(w, h, renderer.frame(scene, rng.split())));
    if (withPredictions) {
      byte[] pred = renderer.prediction(scene, rng.split());
      Path preds = root.resolve("predictions");
      AtomicFiles.write(
          preds.resolve("labelIds").resolve(city).resolve(name + "_pred_labelIds.png"),
          Png.encodeGrey8(w, h, pred));
      AtomicFiles.write(
          preds.resolve("trainIds").resolve(city).resolve(name + "_pred_trainIds.png"),
          Png.encodeGrey8(w, h, renderer.trainIds(pred)));
    }
    return frame;
  }
}

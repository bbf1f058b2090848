package dev.segspark.jobs.synth;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Paints scenes into label maps, instance maps and RGB frames; derives corrupted predictions. */
final class SceneRenderer {
  private final LabelTable table;
  // built once per renderer (one per partition), not per frame
  private final int[] idToTrainId;
  private final int[] palette = new int[256];

  SceneRenderer(LabelTable table) {
    this.table = table;
    this.idToTrainId = table.idToTrainId();
    for (Label label : table.labels()) {
      if (label.id() >= 0 && label.id() < 256) {
        palette[label.id()] = label.rgb();
      }
    }
  }

  /** Annotation ids per pixel. */
  byte[] labels(Scene scene) {
    byte[] out = new byte[scene.width * scene.height];
    for (Shape shape : scene.shapes) {
      paint(scene, shape, (i) -> out[i] = (byte) shape.labelId());
    }
    return out;
  }

  /**
   * Cityscapes instance ids: {@code id * 1000 + k} on instance pixels, the annotation id on stuff
   * (and the class id alone for unnumbered instance-class pixels).
   */
  short[] instances(Scene scene) {
    short[] out = new short[scene.width * scene.height];
    for (Shape shape : scene.shapes) {
      int value =
          shape.instance() >= 0 ? shape.labelId() * 1000 + shape.instance() : shape.labelId();
      paint(scene, shape, (i) -> out[i] = (short) value);
    }
    return out;
  }

  /** An RGB frame: class colour, per-shape shading, a vertical light gradient and sensor noise. */
  byte[] frame(Scene scene, SplittableRandom rng) {
    int w = scene.width;
    int h = scene.height;
    float[] shade = new float[w * h];
    int[] colour = new int[w * h];
    for (Shape shape : scene.shapes) {
      int rgb = table.byId(shape.labelId()).rgb();
      float f = (float) shape.shade();
      paint(
          scene,
          shape,
          (i) -> {
            colour[i] = rgb;
            shade[i] = f;
          });
    }
    byte[] out = new byte[w * h * 3];
    long noiseState = rng.nextLong();
    for (int y = 0; y < h; y++) {
      float light = 0.85f + 0.3f * y / h;
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        noiseState = noiseState * 6364136223846793005L + 1442695040888963407L;
        int noise = (int) ((noiseState >>> 59) & 15) - 8;
        float f = Math.max(0.2f, shade[i]) * light;
        out[3 * i] = clamp(((colour[i] >> 16) & 255) * f + noise + 20);
        out[3 * i + 1] = clamp(((colour[i] >> 8) & 255) * f + noise + 20);
        out[3 * i + 2] = clamp((colour[i] & 255) * f + noise + 20);
      }
    }
    return out;
  }

  /** trainIds per pixel from annotation ids. */
  byte[] trainIds(byte[] labelIds) {
    byte[] out = new byte[labelIds.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) idToTrainId[labelIds[i] & 0xFF];
    }
    return out;
  }

  /**
   * A realistic imperfect prediction of {@code scene}: objects shifted and resized by a few pixels,
   * some missed, some confused with a similar class (truck→car, rider→person, train→bus, so train
   * is never predicted), a moved horizon, and blobs of wrong classes including ignored ids (ground,
   * static) and wall, which never occurs in the ground truth.
   */
  byte[] prediction(Scene scene, SplittableRandom rng) {
    int jitter = Math.max(1, scene.width / 200);
    List<Shape> shapes = new ArrayList<>();
    for (Shape shape : scene.shapes) {
      int label = confuse(shape.labelId(), rng);
      if (shape.instance() >= 0 && rng.nextInt(10) == 0) {
        continue; // missed object
      }
      int dx = rng.nextInt(2 * jitter + 1) - jitter;
      int dy = shape.labelId() == Scene.SKY ? 0 : rng.nextInt(2 * jitter + 1) - jitter;
      shapes.add(shape.moved(dx, dy, label));
    }
    byte[] labels = labels(scene.withShapes(shapes));
    blobs(scene, labels, rng);
    return labels;
  }

  private static int confuse(int label, SplittableRandom rng) {
    return switch (label) {
      case Scene.TRAIN -> Scene.BUS;
      case Scene.TRUCK -> rng.nextInt(3) == 0 ? Scene.CAR : label;
      case Scene.RIDER -> rng.nextInt(2) == 0 ? Scene.PERSON : label;
      case Scene.TERRAIN -> rng.nextInt(4) == 0 ? Scene.VEGETATION : label;
      case Scene.PARKING -> Scene.SIDEWALK;
      case Scene.BORDER -> Scene.BORDER;
      default -> label;
    };
  }

  private static void blobs(Scene scene, byte[] labels, SplittableRandom rng) {
    int[] wrong = {
      Scene.WALL,
      Scene.GROUND,
      Scene.STATIC,
      Scene.VEGETATION,
      Scene.SIDEWALK,
      Scene.ROAD,
      Scene.CAR,
      Scene.BUILDING
    };
    int n = 2 + rng.nextInt(5);
    for (int b = 0; b < n; b++) {
      int label = wrong[rng.nextInt(wrong.length)];
      int bw = Math.max(2, (int) (scene.width * (0.02 + 0.08 * rng.nextDouble())));
      int bh = Math.max(2, (int) (scene.height * (0.02 + 0.08 * rng.nextDouble())));
      int x = rng.nextInt(scene.width);
      int y = rng.nextInt(scene.height);
      Shape blob = Shape.ellipse(label, x, y, x + bw, y + bh, 1.0);
      paint(scene, blob, (i) -> labels[i] = (byte) label);
    }
  }

  private interface PixelWriter {
    void set(int index);
  }

  private static void paint(Scene scene, Shape shape, PixelWriter writer) {
    int xMin = Math.max(0, Math.min(shape.x0(), shape.bottomX0()));
    int xMax = Math.min(scene.width, Math.max(shape.x1(), shape.bottomX1()));
    int yMin = Math.max(0, shape.y0());
    int yMax = Math.min(scene.height, shape.y1());
    boolean rect = shape.kind() == Shape.Kind.RECT;
    for (int y = yMin; y < yMax; y++) {
      int row = y * scene.width;
      for (int x = xMin; x < xMax; x++) {
        if (rect || shape.contains(x, y)) {
          writer.set(row + x);
        }
      }
    }
  }

  private static byte clamp(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** Display colours per annotation id, for colour masks. */
  int[] palette() {
    return palette;
  }
}

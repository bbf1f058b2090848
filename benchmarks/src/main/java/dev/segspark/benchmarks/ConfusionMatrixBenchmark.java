package dev.segspark.benchmarks;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.InstanceCounter;
import dev.segspark.evaluation.metrics.InstanceCounts;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.evaluation.metrics.PredictionIds;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-core confusion-matrix accumulation on one 2048×1024 label-map pair (Cityscapes size). One
 * op = one image = 2,097,152 pixels, so pixels/s per core = ops/s × 2,097,152.
 *
 * <p>{@code scene=street}: realistic maps (large regions, runs of equal pairs); {@code
 * scene=noise}: every pixel random, the worst case for the joint histogram.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ConfusionMatrixBenchmark {
  static final int W = 2048;
  static final int H = 1024;

  @Param({"street", "noise"})
  public String scene;

  private LabelMap gt;
  private LabelMap pred;
  private LabelMap instances;
  private byte[] predPng;
  private PairCounter counter;
  private InstanceCounter instanceCounter;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    byte[] g = new byte[W * H];
    byte[] p = new byte[W * H];
    short[] inst = new short[W * H];
    int[] ids = {7, 8, 11, 21, 23, 24, 26, 17, 20, 0, 4};
    for (int i = 0; i < g.length; i++) {
      if (scene.equals("noise")) {
        g[i] = (byte) ids[rng.nextInt(ids.length)];
        p[i] = (byte) ids[rng.nextInt(ids.length)];
      } else {
        int y = i / W;
        int x = i % W;
        int region = (y / 128) * 3 + x / 700;
        g[i] = (byte) ids[region % ids.length];
        p[i] = (x % 700) < 680 ? g[i] : (byte) ids[(region + 1) % ids.length];
      }
      inst[i] = (short) ((g[i] == 26 || g[i] == 24) ? g[i] * 1000 + (i % W) / 512 : g[i]);
    }
    gt = LabelMap.of8(W, H, g);
    pred = LabelMap.of8(W, H, p);
    instances = LabelMap.of16(W, H, inst);
    predPng = Png.encodeGrey8(W, H, p);
    EvalSpace space =
        EvalSpace.of(
            Convention.CITYSCAPES, LabelTables.builtIn("cityscapes"), PredictionIds.LABEL_IDS);
    counter = new PairCounter(space);
    instanceCounter = new InstanceCounter(space);
  }

  /** Confusion counts of one image pair (the hot loop of every evaluation). */
  @Benchmark
  public ImageCounts accumulate() {
    return counter.count(gt, pred, "bench");
  }

  /** Instance statistics for iIoU of one image. */
  @Benchmark
  public InstanceCounts instances() {
    return instanceCounter.count(instances, pred, "bench");
  }

  /** Decoding one 2048×1024 8-bit label-map PNG (for comparison with accumulation). */
  @Benchmark
  public LabelMap decodePng() {
    return Png.decodeLabelMap(predPng, "bench");
  }
}

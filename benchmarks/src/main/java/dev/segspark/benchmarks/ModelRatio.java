package dev.segspark.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ModelBenchmark}'s two measurements side by side in one JVM (not a JMH benchmark): after
 * {@code --warmup} rounds, each of {@code --rounds} rounds times one {@code rawForward} and one
 * {@code evaluateWithModel} (their order swapped every round), so both see the same machine. On a
 * machine whose speed drifts between minutes, JMH's separate forks compare different machines; the
 * ratio of one round's two times does not.
 *
 * <p>Usage: {@code bin/benchmark ModelRatio [--model M] [--images N] [--threads T] [--warmup W]
 * [--rounds R]}; prints every round and the median ratio (raw s / evaluate s: 1 means the pipeline
 * costs nothing beyond the forward passes).
 */
public final class ModelRatio {
  private ModelRatio() {}

  public static void main(String[] args) throws Exception {
    ModelBenchmark bench = new ModelBenchmark();
    bench.model = "segformer-synth";
    bench.images = 128;
    bench.threads = 2;
    int warmup = 2;
    int rounds = 5;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("Cannot run: " + args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--model" -> bench.model = value;
        case "--images" -> bench.images = Integer.parseInt(value);
        case "--threads" -> bench.threads = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("Cannot run: unknown option " + args[i]);
      }
    }
    bench.setUp();
    try {
      List<double[]> timed = new ArrayList<>();
      for (int r = 0; r < warmup + rounds; r++) {
        double raw;
        double evaluate;
        if (r % 2 == 0) {
          raw = time(bench::rawForward);
          evaluate = time(bench::evaluateWithModel);
        } else {
          evaluate = time(bench::evaluateWithModel);
          raw = time(bench::rawForward);
        }
        boolean warm = r >= warmup;
        System.out.printf(
            "%s %d: raw %.3f s, evaluate %.3f s, ratio %.3f%n",
            warm ? "round" : "warm-up",
            warm ? r - warmup + 1 : r + 1,
            raw,
            evaluate,
            raw / evaluate);
        if (warm) {
          timed.add(new double[] {raw, evaluate, raw / evaluate});
        }
      }
      System.out.printf(
          "%s, %d images, %d threads, %d rounds: raw median %.3f s, evaluate median %.3f s,"
              + " ratio median %.3f (range %.3f-%.3f)%n",
          bench.model,
          bench.images,
          bench.threads,
          rounds,
          median(timed, 0),
          median(timed, 1),
          median(timed, 2),
          timed.stream().mapToDouble(t -> t[2]).min().orElse(Double.NaN),
          timed.stream().mapToDouble(t -> t[2]).max().orElse(Double.NaN));
    } finally {
      bench.tearDown();
    }
  }

  private interface Op {
    Object run() throws Exception;
  }

  private static double time(Op op) throws Exception {
    long t0 = System.nanoTime();
    op.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(t -> t[column]).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}

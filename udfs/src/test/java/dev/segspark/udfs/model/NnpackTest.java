package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's NNPACK line, seen on the real stderr of a child JVM (the line is written by native
 * code, past Java's System.err): the same convolutions with and without {@link
 * Nnpack#offWhereUnavailable}.
 */
class NnpackTest {
  private static final int CONVOLUTIONS = 5;
  private static final String LINE = "Could not initialize NNPACK";

  @Test
  void noNnpackLineAndTheSameResultsOnceSwitched(@TempDir Path dir) throws Exception {
    Run switched = run(dir, "switch");
    Run plain = run(dir, "plain");
    // this libtorch has the symbols: the switch is reached wherever the build runs
    assertThat(switched.stdout).containsAnyOf("state=SWITCHED_OFF", "state=AVAILABLE");
    assertThat(switched.nnpackLines()).as(switched.stderr).isZero();
    if (switched.stdout.contains("state=SWITCHED_OFF")) {
      // NNPACK cannot start here: without the switch libtorch logs once per convolution (so the
      // count above would have caught a switch that does nothing)
      assertThat(plain.nnpackLines()).as(plain.stderr).isGreaterThanOrEqualTo(CONVOLUTIONS);
    } else {
      assertThat(plain.nnpackLines()).as(plain.stderr).isZero();
    }
    // the switch changes no result: the same float bits from every convolution
    assertThat(switched.results()).hasSize(CONVOLUTIONS).isEqualTo(plain.results());
  }

  private record Run(String stdout, String stderr) {
    long nnpackLines() {
      return stderr.lines().filter(l -> l.contains(LINE)).count();
    }

    List<String> results() {
      return stdout.lines().filter(l -> l.startsWith("conv ")).toList();
    }
  }

  private static Run run(Path dir, String mode) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), mode));
    Path out = dir.resolve(mode + ".out");
    Path err = dir.resolve(mode + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM (%s) ended", mode).isTrue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stdout + stderr).isZero();
    return new Run(stdout, stderr);
  }

  /**
   * Runs {@link #CONVOLUTIONS} 1x1 convolutions, after the switch when asked; prints their bits.
   */
  public static final class Child {
    public static void main(String[] args) {
      ModelCache.configureEngine();
      if (args[0].equals("switch")) {
        System.out.println("state=" + Nnpack.offWhereUnavailable());
      }
      try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
        NDArray x = manager.create(EngineCheck.values(2 * 8 * 16 * 24, 5), new Shape(2, 8, 16, 24));
        // 1x1: libtorch asks about NNPACK for the convolutions oneDNN does not take (at one thread,
        // small batches and 1x1 kernels, as in segformer's head)
        NDArray w = manager.create(EngineCheck.values(8 * 8, 6), new Shape(8, 8, 1, 1));
        for (int i = 0; i < CONVOLUTIONS; i++) {
          NDArray y =
              x.getNDArrayInternal()
                  .convolution(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                  .singletonOrThrow();
          float[] v = y.toFloatArray();
          System.out.println("conv " + i + " " + Arrays.hashCode(v) + " " + v.length);
          x = y;
        }
      }
    }
  }
}

package dev.segspark.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpec.Engine;
import dev.segspark.udfs.model.ModelSpecs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class path entries executors get, and how a user's {@code spark.jars} is kept. */
class ExecutorJarsTest {
  @TempDir Path tmp;

  private Path jar(String relative) throws IOException {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[] {1});
  }

  @Test
  void picksTheJarsSparkLacksAndLeavesTheRest() throws IOException {
    Path libtorch =
        jar("m2/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
    Path api = jar("m2/ai/djl/api/0.35.1/api-0.35.1.jar");
    Path udfs = jar("udfs/target/segspark-udfs-0.1.0-SNAPSHOT.jar");
    Path ort = jar("m2/com/microsoft/onnxruntime/onnxruntime/1.21.1/onnxruntime-1.21.1.jar");
    Path otherApi = jar("m2/org/example/api/1.0/api-1.0.jar");
    Path picocli = jar("m2/info/picocli/picocli/4.7.7/picocli-4.7.7.jar");
    Path spark = jar("m2/org/apache/spark/spark-core_2.13/4.1.3/spark-core_2.13-4.1.3.jar");
    Path tests = jar("evaluation/target/segspark-evaluation-0.1.0-SNAPSHOT-tests.jar");
    Path precxx11 = jar("lib/pytorch-native-cpu-precxx11-2.7.1-linux-x86_64.jar");
    String cp =
        String.join(
            File.pathSeparator,
            List.of(libtorch, api, udfs, ort, otherApi, picocli, spark, tests, udfs, precxx11)
                .stream()
                .map(Path::toString)
                .toList());
    assertThat(ExecutorJars.of(cp, EnumSet.of(Engine.ONNXRUNTIME)))
        .containsExactly(
            libtorch.toString(),
            api.toString(),
            udfs.toString(),
            ort.toString(),
            precxx11.toString());
    // a TorchScript model: no ONNX Runtime (137 MB every executor would fetch and copy)
    assertThat(ExecutorJars.of(cp, EnumSet.of(Engine.PYTORCH)))
        .containsExactly(libtorch.toString(), api.toString(), udfs.toString(), precxx11.toString());
    // no model (evaluate --predictions, panoptic, synth): segspark's own jars only
    assertThat(ExecutorJars.of(cp, ExecutorJars.NO_MODEL)).containsExactly(udfs.toString());
  }

  @Test
  void aCommandShipsTheEnginesOfItsModel() {
    assertThat(ExecutorJars.enginesFor(null)).isEmpty();
    ModelSpec onnx = ModelSpecs.resolve("segformer-synth-onnx");
    assertThat(onnx.engine()).isEqualTo(Engine.ONNXRUNTIME);
    assertThat(ExecutorJars.enginesFor(onnx)).containsExactly(Engine.ONNXRUNTIME);
    assertThat(ExecutorJars.enginesFor(ModelSpecs.resolve("segformer-synth")))
        .containsExactly(Engine.PYTORCH);
  }

  @Test
  void packsClassFoldersIntoJars() throws IOException {
    Path classes = tmp.resolve("jobs/target/classes");
    Files.createDirectories(classes.resolve("dev/x"));
    Files.writeString(classes.resolve("dev/x/A.class"), "a");
    List<String> jars = ExecutorJars.of(classes.toString(), ExecutorJars.NO_MODEL);
    assertThat(jars).hasSize(1);
    assertThat(Path.of(jars.get(0)).getFileName().toString()).isEqualTo("jobs-classes-0.jar");
    try (JarFile jar = new JarFile(jars.get(0))) {
      assertThat(jar.getEntry("dev/x/")).isNotNull();
      assertThat(new String(jar.getInputStream(jar.getEntry("dev/x/A.class")).readAllBytes()))
          .isEqualTo("a");
    }
  }

  @Test
  void aUsersSparkJarsAreKeptAndAddedTo() {
    assertThat(ExecutorJars.append(" /a.jar, /b.jar", List.of("/b.jar", "/c.jar")))
        .isEqualTo("/a.jar,/b.jar,/c.jar");
    assertThat(ExecutorJars.append(null, List.of("/c.jar"))).isEqualTo("/c.jar");
    assertThat(ExecutorJars.append("", List.of())).isEmpty();
  }
}

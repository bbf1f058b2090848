package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model file: the named file, whatever its extension, and no DJL warning. */
class ModelCacheTest {
  @TempDir Path tmp;

  @Test
  void loadsTheNamedFileOfItsFolderWithoutWarnings() throws IOException {
    Path shipped = ModelParityTest.repoRoot().resolve("conf/models");
    Path dir = Files.createDirectories(tmp.resolve("models"));
    Files.copy(shipped.resolve("segformer-synth.pt"), dir.resolve("weights.torchscript"));
    // the names DJL falls back to in a folder must not be picked instead
    Files.writeString(dir.resolve("model.pt"), "not a model");
    Files.writeString(dir.resolve("models.pt"), "not a model");
    String yaml =
        Files.readString(shipped.resolve("segformer-synth.yaml"))
            .replace("segformer-synth.pt", "models/weights.torchscript")
            .replace("name: segformer-synth", "name: weights");
    Path specFile = Files.writeString(tmp.resolve("weights.yaml"), yaml);
    ModelSpec spec = ModelSpecs.load(specFile);
    assertThat(spec.model()).isEqualTo(dir.resolve("weights.torchscript").toString());

    try (LogCapture djl = new LogCapture("ai.djl.repository")) {
      assertThat(ModelCache.get(spec, Device.cpu()).getBlock()).isNotNull();
      assertThat(djl.lines()).isEmpty();
    }
  }
}

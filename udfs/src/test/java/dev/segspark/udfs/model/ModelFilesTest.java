package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files: local paths in place, Hadoop-FS URIs copied once per JVM, clear errors. */
class ModelFilesTest {
  @TempDir Path tmp;

  @Test
  void localPathsAreUsedInPlace() throws IOException {
    Path model = Files.write(tmp.resolve("m.pt"), new byte[] {1, 2, 3});
    assertThat(ModelFiles.local(model.toString())).isEqualTo(model);
  }

  @Test
  void hadoopUrisAreCopiedOncePerJvm() throws IOException {
    Path model = Files.write(tmp.resolve("remote.pt"), new byte[] {4, 5, 6, 7});
    String uri = model.toUri().toString(); // file:///... goes through Hadoop's FileSystem
    Path first = ModelFiles.local(uri);
    assertThat(first).isNotEqualTo(model).hasBinaryContent(new byte[] {4, 5, 6, 7});
    Files.write(model, new byte[] {9}); // a second call must not copy again
    assertThat(ModelFiles.local(uri)).isEqualTo(first).hasBinaryContent(new byte[] {4, 5, 6, 7});
    try (var leftovers = Files.list(first.getParent())) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("remote.pt");
    }
  }

  @Test
  void missingFilesAreNamed() {
    String local = tmp.resolve("absent.pt").toString();
    assertThatThrownBy(() -> ModelFiles.local(local))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(local)
        .hasMessageContaining("no such file");
    String uri = tmp.resolve("absent-remote.pt").toUri().toString();
    assertThatThrownBy(() -> ModelFiles.local(uri))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining("copy failed");
  }
}

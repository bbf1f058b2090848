package dev.segspark.evaluation.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheTargetAndLeavesNoTempFile() throws IOException {
    Path target = dir.resolve("a/b/report.json");
    AtomicFiles.write(target, "old");
    AtomicFiles.write(target, "new");
    assertThat(target).hasContent("new");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.json");
    }
  }

  @Test
  void filesGetTheModeOfAPlainWrite() throws IOException {
    Path plain = Files.write(dir.resolve("plain"), new byte[] {1});
    Path atomic = dir.resolve("atomic");
    AtomicFiles.write(atomic, new byte[] {1});
    assertThat(Files.getPosixFilePermissions(atomic))
        .isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void aLongNameStillGetsATempFile() {
    Path target = dir.resolve("x".repeat(250) + ".png");
    AtomicFiles.write(target, "ok");
    assertThat(target).hasContent("ok");
  }

  @Test
  void anUnwritableTargetIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "not a folder");
    Path target = file.resolve("report.json");
    assertThatThrownBy(() -> AtomicFiles.write(target, "x"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot write " + target);
  }

  @Test
  void tempNamesAreHiddenAndEndInTmp() {
    assertThat(AtomicFiles.isTemp(".report.json.k3j4.tmp")).isTrue();
    assertThat(AtomicFiles.isTemp("report.tmp")).isFalse();
    assertThat(AtomicFiles.isTemp(".hidden.png")).isFalse();
  }
}

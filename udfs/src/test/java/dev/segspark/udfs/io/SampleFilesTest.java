package dev.segspark.udfs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.Png;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unreadable file is bad input with the reason and the path, never a bare path or a crash. */
class SampleFilesTest {
  @TempDir Path dir;

  @Test
  void missingFile() {
    String path = dir.resolve("absent.png").toString();
    assertThatThrownBy(() -> SampleFiles.read(path))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot read " + path + ": no such file");
  }

  @Test
  void folderWhereAFileShouldBe() throws IOException {
    String path = Files.createDirectory(dir.resolve("gt.png")).toString();
    assertThatThrownBy(() -> SampleFiles.labelMap(path, 1000))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot read " + path + ": is a directory");
  }

  /** Files.readAllBytes throws OutOfMemoryError past 2 GiB; a sparse file costs no disk. */
  @Test
  void fileLargerThanAnArray() throws IOException {
    Path file = dir.resolve("huge.png");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertThatThrownBy(() -> SampleFiles.read(file.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Cannot read "
                + file
                + ": 3221225472 bytes, more than one Java array holds (2147483639)");
  }

  @Test
  void maxPixelsIsTheUsersLimit() throws IOException {
    assertThat(SampleFiles.labelMap(write("ok.png", 4, 3), 12).size()).isEqualTo(12);
    assertThatThrownBy(() -> SampleFiles.labelMap(write("big.png", 4, 3), 11))
        .hasMessageContaining("4x3 exceeds --max-pixels (11)");
  }

  private String write(String name, int w, int h) throws IOException {
    return Files.write(dir.resolve(name), Png.encodeGrey8(w, h, new byte[w * h])).toString();
  }
}

package dev.segspark.evaluation.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A set of files committed as a unit: after a failure at any step, the folder holds no marker and
 * never files of two runs; a stale staging folder is removed by the next run.
 */
class OutputSetTest {
  private static final List<String> OTHERS = List.of("report.md", "per_class.csv", "rows.parquet");

  @TempDir Path dir;

  private OutputSet open() {
    return OutputSet.open(dir, "report.json", OTHERS);
  }

  /** Writes a whole set of {@code run} into {@code into}: a file per name, a folder for tables. */
  private static void writeSet(Path into, String run) throws IOException {
    Files.writeString(into.resolve("report.md"), run);
    Files.writeString(into.resolve("per_class.csv"), run);
    Files.createDirectories(into.resolve("rows.parquet"));
    Files.writeString(into.resolve("rows.parquet/part-0"), run);
    Files.writeString(into.resolve("report.json"), run);
  }

  /** The set's names in the folder, each with the run that wrote it. */
  private List<String> present() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p) + "=" + read(p))
          .sorted()
          .toList();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void commitReplacesTheWholeSetAndLeavesOtherFilesAlone() throws IOException {
    writeSet(dir, "old");
    Files.writeString(dir.resolve("notes.txt"), "mine");
    try (OutputSet set = open()) {
      writeSet(set.staging(), "new");
      set.commit();
    }
    assertThat(present())
        .containsExactly(
            "notes.txt=mine",
            "per_class.csv=new",
            "report.json=new",
            "report.md=new",
            "rows.parquet/part-0=new");
  }

  @Test
  void openingRemovesThePreviousSetAndStaleStagingFolders() throws IOException {
    writeSet(dir, "old");
    Path stale = Files.createDirectories(dir.resolve(OutputSet.STAGING_PREFIX + "killed"));
    Files.writeString(stale.resolve("report.json"), "killed");
    try (OutputSet set = open()) {
      assertThat(present()).isEmpty();
      assertThat(set.staging().getParent()).isEqualTo(dir.toAbsolutePath());
      assertThat(set.staging().getFileName().toString()).startsWith(OutputSet.STAGING_PREFIX);
      assertThat(stale).doesNotExist();
    }
  }

  @Test
  void failureWhileWritingLeavesNoSetAndNoStagingFolder() throws IOException {
    writeSet(dir, "old");
    assertThatThrownBy(
            () -> {
              try (OutputSet set = open()) {
                Files.writeString(set.staging().resolve("report.md"), "new");
                throw new IllegalStateException("job failed");
              }
            })
        .hasMessage("job failed");
    assertThat(present()).isEmpty();
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void failureWhileCommittingLeavesNoMarkerAndNoPartOfTheSet() throws IOException {
    writeSet(dir, "old");
    for (int failAt = 0; failAt < 4; failAt++) {
      int[] moves = {0};
      int fail = failAt;
      OutputSet.Mover flaky =
          (source, target) -> {
            if (moves[0]++ == fail) {
              throw new IOException("disk full");
            }
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
          };
      try (OutputSet set = OutputSet.open(dir, "report.json", OTHERS, flaky)) {
        writeSet(set.staging(), "new");
        assertThatThrownBy(set::commit)
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("Cannot write " + dir)
            .hasMessageContaining("disk full");
      }
      assertThat(present()).as("move %d failed", failAt).isEmpty();
      try (Stream<Path> entries = Files.list(dir)) {
        assertThat(entries).as("move %d failed", failAt).isEmpty();
      }
    }
  }

  @Test
  void theMarkerIsMovedLast() throws IOException {
    List<String> order = new java.util.ArrayList<>();
    OutputSet.Mover recording =
        (source, target) -> {
          order.add(target.getFileName().toString());
          Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        };
    try (OutputSet set = OutputSet.open(dir, "report.json", OTHERS, recording)) {
      writeSet(set.staging(), "new");
      set.commit();
    }
    assertThat(order).hasSize(4).endsWith("report.json");
  }

  @Test
  void committingWithoutTheMarkerIsRefused() throws IOException {
    try (OutputSet set = open()) {
      Files.writeString(set.staging().resolve("report.md"), "new");
      assertThatThrownBy(set::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("report.json was not written");
    }
    assertThat(present()).isEmpty();
  }
}

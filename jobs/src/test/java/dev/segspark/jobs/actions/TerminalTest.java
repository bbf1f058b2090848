package dev.segspark.jobs.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal detection: progress rewrites and colours only when stderr is a terminal device. */
class TerminalTest {
  @TempDir Path tmp;

  @Test
  void aDescriptorIsATerminalOnlyWhenItPointsToATerminalDevice() throws IOException {
    Path log = Files.createFile(tmp.resolve("log"));
    assertThat(Terminal.isTerminal(Files.createSymbolicLink(tmp.resolve("file"), log))).isFalse();
    assertThat(Terminal.isTerminal(link("pipe", "pipe:[12345]"))).isFalse();
    assertThat(Terminal.isTerminal(link("pts", "/dev/pts/3"))).isTrue();
    assertThat(Terminal.isTerminal(link("tty", "/dev/tty1"))).isTrue();
    assertThat(Terminal.isTerminal(log)).as("not a link").isFalse();
  }

  @Test
  void withoutProcTheConsoleDecides() {
    assertThat(Terminal.isTerminal(tmp.resolve("no-such-descriptor"))).isTrue();
  }

  @Test
  void capturedStderrIsNoTerminal() {
    // surefire pipes the test JVM's stderr
    assertThat(Terminal.stderr()).isFalse();
  }

  private Path link(String name, String target) throws IOException {
    return Files.createSymbolicLink(tmp.resolve(name), Path.of(target));
  }
}

package dev.segspark.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegsparkCliTest {
  /** Start-up work goes ahead on a thread of its own only for the runs without a Spark session. */
  @ParameterizedTest
  @CsvSource({
    "evaluate --dataset cityscapes --data-root d --predictions p --out o, true",
    "evaluate --task panoptic --gt-json g --out o, true",
    "evaluate --master local[2] --dataset cityscapes, false",
    "evaluate --master=spark://h:7077 --dataset cityscapes, false",
    "evaluate --model segformer-synth --dataset cityscapes, false",
    "evaluate --help, false",
    "evaluate --dataset cityscapes --data-root hdfs://127.0.0.1:9000/cs --out o, false",
    "label --images i --out o, false",
    "synth --out o, false",
    "'', false"
  })
  void preloadsOnlyForAnInProcessEvaluate(String line, boolean preload) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThat(SegsparkCli.runsInProcess(args)).isEqualTo(preload);
  }

  /** A run builds its own command alone; the root's help and `help` see every command. */
  @Test
  void aRunBuildsTheCommandItNamesAndHelpSeesThemAll() {
    java.util.List<String> all =
        java.util.List.of("evaluate", "label", "synth", "benchmark", "compare", "demo", "help");
    assertThat(SegsparkCli.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(all);
    assertThat(SegsparkCli.commandLine("evaluate").getSubcommands().keySet())
        .containsExactly("evaluate");
    assertThat(SegsparkCli.commandLine("help").getSubcommands().keySet())
        .containsExactlyElementsOf(all);
    assertThat(SegsparkCli.commandLine("--help").getSubcommands().keySet())
        .containsExactlyElementsOf(all);
    assertThat(SegsparkCli.commandLine("evalute").getSubcommands().keySet())
        .containsExactlyElementsOf(all);
  }

  /**
   * picocli runs as Java 17 class files (module {@code picocli}): the published jar's Java 5 class
   * files cannot go into bin/segspark's class-data archive (nor the CLI classes built on them), and
   * the old verifier checks them at every start. Fails if the published jar comes back on the class
   * path ahead of the rebuilt one.
   */
  @Test
  void picocliComesAsJava17ClassFiles() throws IOException {
    assertThat(classFileMajorVersion(picocli.CommandLine.class)).isGreaterThanOrEqualTo(61);
  }

  private static int classFileMajorVersion(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
        DataInputStream data = new DataInputStream(in)) {
      assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
      data.readUnsignedShort();
      return data.readUnsignedShort();
    }
  }
}

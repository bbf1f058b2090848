package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shipped {@code conf/} files that repeat one another agree. */
class ConfTest {
  @Test
  void executorsGetTheLaunchersMallocSettings() throws Exception {
    Path conf = SparkTestBase.repoRoot().resolve("conf");
    // as bin/lib/model-env.sh reads it for the launchers: every line but comments
    List<String> lines =
        Files.readAllLines(conf.resolve("glibc-tunables")).stream()
            .filter(l -> !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSize(1);
    String launchers = lines.get(0);
    assertThat(launchers)
        .contains("glibc.malloc.arena_max=1")
        .contains("glibc.malloc.mmap_threshold=");
    Properties cpu = new Properties();
    try (Reader r = Files.newBufferedReader(conf.resolve("spark-defaults-cpu.conf"))) {
      cpu.load(r);
    }
    assertThat(cpu.getProperty("spark.executorEnv.GLIBC_TUNABLES")).isEqualTo(launchers);
  }
}

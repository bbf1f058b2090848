package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

/**
 * The shipped logging config ({@code bin/segspark}) and the tests' config keep a CPU run's output
 * clean without hiding our own warnings.
 */
class LoggingConfigTest {
  @Test
  void djlsCudaProbeIsQuietAndEverythingElseWarns() {
    List<Path> configs =
        List.of(
            SparkTestBase.repoRoot().resolve("conf/log4j2.properties"),
            Path.of("src/test/resources/log4j2.properties"));
    for (Path config : configs) {
      // a private context: the test JVM's own logging stays as it is
      LoggerContext context = new LoggerContext("check", null, config.toUri());
      context.start();
      try {
        assertThat(context.getConfiguration().getName())
            .as(config.toString())
            .isNotEqualTo("Default");
        assertThat(context.getLogger("ai.djl.util.cuda.CudaUtils").isEnabled(Level.WARN))
            .as(config + ": CUDA probe warnings")
            .isFalse();
        assertThat(context.getLogger("ai.djl.util.cuda.CudaUtils").isEnabled(Level.ERROR)).isTrue();
        for (String logger : List.of("ai.djl.repository.SimpleRepository", "dev.segspark.x")) {
          assertThat(context.getLogger(logger).isEnabled(Level.WARN)).as(logger).isTrue();
        }
      } finally {
        context.stop();
      }
    }
  }
}

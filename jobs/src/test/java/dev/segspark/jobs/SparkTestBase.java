package dev.segspark.jobs;

import dev.segspark.evaluation.report.ReportJson;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One shared local[2] SparkSession per test class, UI off. */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("segspark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }

  protected static SegActions actions() {
    return SegActions.get(spark);
  }

  /** Writes a synthetic dataset with predictions. */
  protected static Path synth(Path out, int images, long seed, int h, int w) {
    actions().synth(new SynthSpec(out, images, seed, h, w, true, "val", 0)).execute();
    return out;
  }

  /** A default Cityscapes evaluation of {@code root}'s labelId predictions. */
  protected static EvalSpec cityscapesSpec(Path root, Path out) {
    return EvalSpec.of(
        DatasetSpec.of("cityscapes", root, "val"), root.resolve("predictions/labelIds"), out);
  }

  /** report.json parsed, without the run section (timings differ between runs). */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> reportWithoutRun(Path out) {
    try {
      Map<String, Object> report =
          (Map<String, Object>) ReportJson.read(Files.readString(out.resolve("report.json")));
      report.remove("run");
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.segspark.jobs;

import dev.segspark.evaluation.report.ReportJson;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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

  /** A shipped model spec, {@code conf/models/<name>.yaml}. */
  protected static ModelSpec model(String name) {
    return ModelSpecs.load(repoRoot().resolve("conf/models").resolve(name + ".yaml"));
  }

  /** The repository root (surefire passes it). */
  protected static Path repoRoot() {
    return Path.of(System.getProperty("segspark.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** A Cityscapes evaluation of {@code root}'s images predicted by {@code model}. */
  protected static EvalSpec modelSpec(Path root, Path out, ModelSpec model, int partitions) {
    return new EvalSpec(
        DatasetSpec.of("cityscapes", root, "val"),
        null,
        null,
        null,
        out,
        null,
        partitions,
        EvalSpec.DEFAULT_MAX_PIXELS,
        model);
  }

  /** Labels {@code images} into {@code out} with the given formats. */
  protected static LabelSpec labelSpec(
      ModelSpec model, Path images, Path out, int partitions, String... formats) {
    return new LabelSpec(
        model,
        images.toString(),
        out,
        List.of(formats),
        false,
        null,
        partitions,
        EvalSpec.DEFAULT_MAX_PIXELS);
  }

  /** Every regular file under {@code dir}, by relative path, with its SHA-256. */
  protected static Map<String, String> fileDigests(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Map<String, String> out = new TreeMap<>();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

package dev.segspark.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.actions.SegActions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code evaluate --task panoptic} end to end on local Spark: the 8 coco-panoptic-mini images and
 * the parity fixture's perturbed predictions, replicated {@code copies} times under new names and
 * image ids into {@code -Dsegspark.bench.dir}/panoptic-N (gt.json, gt/, pred.json, pred/), so
 * panopticapi can be timed on the very same files (README, "Benchmarks").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class PanopticJobBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Param({"50"})
  public int copies;

  private SparkSession spark;
  private PanopticSpec spec;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("segspark-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path root = Path.of(System.getProperty("segspark.repo.root", "."));
    Path mini = root.resolve("evaluation/src/test/resources/coco-panoptic-mini");
    Path fixture = root.resolve("jobs/src/test/resources/panoptic");
    Path data =
        Path.of(System.getProperty("segspark.bench.dir", "/tmp/segspark-bench"))
            .resolve("panoptic-" + copies * 8);
    if (!Files.exists(data.resolve("DONE"))) {
      replicate(mini.resolve("panoptic.json"), mini.resolve("panoptic"), data, "gt");
      replicate(fixture.resolve("pred.json"), fixture.resolve("pred"), data, "pred");
      Files.createFile(data.resolve("DONE"));
    }
    spec =
        new PanopticSpec(
            data.resolve("gt.json"),
            data.resolve("gt"),
            data.resolve("pred.json"),
            data.resolve("pred"),
            data.resolve("report"),
            false,
            null,
            0,
            1L << 26);
  }

  /** Writes {@code copies} renamed copies (links) of every image and its annotation. */
  private void replicate(Path json, Path pngs, Path data, String name) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
    ArrayNode images = JSON.createArrayNode();
    ArrayNode annotations = JSON.createArrayNode();
    Path dir = Files.createDirectories(data.resolve(name));
    for (int k = 0; k < copies; k++) {
      for (JsonNode image : root.path("images")) {
        ObjectNode copy = image.deepCopy();
        copy.put("id", k * 10_000_000L + image.get("id").asLong());
        copy.put("file_name", k + "_" + image.get("file_name").asText());
        images.add(copy);
      }
      for (JsonNode ann : root.get("annotations")) {
        ObjectNode copy = ann.deepCopy();
        String file = ann.get("file_name").asText();
        copy.put("image_id", k * 10_000_000L + ann.get("image_id").asLong());
        copy.put("file_name", k + "_" + file);
        annotations.add(copy);
        Files.createSymbolicLink(dir.resolve(k + "_" + file), pngs.resolve(file).toAbsolutePath());
      }
    }
    root.set("images", images);
    root.set("annotations", annotations);
    JSON.writeValue(data.resolve(name + ".json").toFile(), root);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    spark.stop();
  }

  /** One full panoptic evaluation. */
  @Benchmark
  public PanopticReport evaluate() {
    return SegActions.get(spark).evaluatePanoptic(spec).option("progress", "false").execute();
  }
}

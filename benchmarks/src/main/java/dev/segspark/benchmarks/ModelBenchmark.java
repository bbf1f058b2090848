package dev.segspark.benchmarks;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.model.ModelCache;
import dev.segspark.udfs.model.ModelInputs;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code evaluate --model} end to end versus the raw forward pass of the same model.
 *
 * <ul>
 *   <li>{@link #rawForward}: the images, already decoded and normalised into {@code [B,3,H,W]}
 *       tensors of the spec's batch size, through {@code threads} concurrent predictors of one
 *       loaded model in this JVM: the ceiling for any pipeline.
 *   <li>{@link #evaluateWithModel}: {@code segspark evaluate --model} on the same frames on {@code
 *       local[threads]}: listing, PNG decoding (images, ground truth, instances), pre-processing,
 *       the same forward passes, post-processing, counting, aggregation, reports.
 * </ul>
 *
 * One op = all images; images/s = images / (s/op); the closing figure is the ratio of the two
 * rates. Frames: {@code images} synthetic 256x512 Cityscapes frames generated once into {@code
 * -Dsegspark.bench.dir} (default /tmp/segspark-bench).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class ModelBenchmark {
  @Param({"segformer-synth"})
  public String model;

  @Param({"128"})
  public int images;

  @Param({"2"})
  public int threads;

  private SparkSession spark;
  private EvalSpec spec;
  private NDManager manager;
  private List<List<NDArray>> batchesPerThread;
  private List<Predictor<NDList, NDList>> predictors;
  private ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    spark =
        SparkSession.builder()
            .master("local[" + threads + "]")
            .appName("segspark-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path data =
        Path.of(System.getProperty("segspark.bench.dir", "/tmp/segspark-bench"))
            .resolve("model-frames-" + images);
    if (!Files.exists(data.resolve("DONE"))) {
      SegActions.get(spark)
          .synth(new SynthSpec(data, images, 11, 256, 512, false, "val", 0))
          .execute();
      Files.createFile(data.resolve("DONE"));
    }
    String root = System.getProperty("segspark.repo.root", ".");
    ModelSpec m = ModelSpecs.load(Path.of(root, "conf/models", model + ".yaml"));
    DatasetSpec dataset = DatasetSpec.of("cityscapes", data, "val");
    spec =
        new EvalSpec(
            dataset,
            null,
            null,
            null,
            data.resolve("report-" + model),
            null,
            0,
            EvalSpec.DEFAULT_MAX_PIXELS,
            m);

    ZooModel<NDList, NDList> loaded = ModelCache.get(m, Device.cpu());
    manager = loaded.getNDManager().newSubManager();
    List<DecodedImage> decoded = new ArrayList<>();
    for (var sample : SampleLister.listImages(dataset).samples()) {
      decoded.add(ImageDecoder.read(sample.prediction(), Long.MAX_VALUE));
    }
    batchesPerThread = new ArrayList<>();
    predictors = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      batchesPerThread.add(new ArrayList<>());
      predictors.add(loaded.newPredictor(new NoopTranslator()));
    }
    int b = 0;
    for (int i = 0; i < decoded.size(); i += m.batchSize()) {
      List<DecodedImage> batch = decoded.subList(i, Math.min(decoded.size(), i + m.batchSize()));
      // exactly the tensor the CPU pipeline feeds: contiguous NCHW floats (an NHWC tensor permuted
      // on the device would hand the model channels-last strides and time a different kernel path)
      DecodedImage first = batch.get(0);
      Shape shape = new Shape(batch.size(), 3, first.height(), first.width());
      NDArray x = manager.create(ModelInputs.normalise(batch, m), shape);
      batchesPerThread.get(b++ % threads).add(x);
    }
    pool = Executors.newFixedThreadPool(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdownNow();
    predictors.forEach(Predictor::close);
    manager.close();
    spark.stop();
  }

  /** The forward passes alone, on pre-decoded, pre-normalised tensors. */
  @Benchmark
  public long rawForward() throws Exception {
    List<Future<Long>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Predictor<NDList, NDList> predictor = predictors.get(t);
      List<NDArray> batches = batchesPerThread.get(t);
      done.add(
          pool.submit(
              () -> {
                long elements = 0;
                for (NDArray x : batches) {
                  NDList out = predictor.predict(new NDList(x));
                  elements += out.get(0).size();
                  out.close();
                }
                return elements;
              }));
    }
    long total = 0;
    for (Future<Long> f : done) {
      total += f.get();
    }
    return total;
  }

  /** {@code segspark evaluate --model}: inference and evaluation in one pass. */
  @Benchmark
  public EvaluateResult evaluateWithModel() {
    return SegActions.get(spark).evaluate(spec).option("progress", "false").execute();
  }
}

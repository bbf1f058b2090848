package dev.segspark.udfs.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per (model file, device) per JVM: every task of an executor shares it
 * (TorchScript modules are safe for concurrent forward calls); each task only creates its own
 * {@link ai.djl.inference.Predictor}. Models stay loaded until the JVM exits.
 *
 * <p>See {@link #configureEngine()} for the DJL settings applied before the first load; before the
 * first load on the CPU, {@link EngineCheck} proves that the engine's convolutions are right here.
 *
 * <p>Every load is logged ({@code segspark model load #n in pid P: ...}) and counted, so a job can
 * prove that an executor loaded its model once, not once per task.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Map<Key, ZooModel<NDList, NDList>> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ModelCache() {}

  private record Key(String model, String device) {}

  /** The loaded model of {@code spec} on {@code device}, loading it on first use in this JVM. */
  public static ZooModel<NDList, NDList> get(ModelSpec spec, Device device) {
    return MODELS.computeIfAbsent(
        new Key(spec.model(), device.toString()), k -> load(spec, device));
  }

  /** Models loaded by this JVM so far. */
  public static int loads() {
    return LOADS.get();
  }

  /** This JVM's process id (to tell executor JVMs apart). */
  public static long pid() {
    return ProcessHandle.current().pid();
  }

  /**
   * DJL settings segspark relies on, applied before the PyTorch engine starts unless the user set
   * them: offline native libraries; libtorch intra-op threads = {@code spark.task.cpus} (Spark's
   * own convention, which it also passes to executors as {@code OMP_NUM_THREADS}: parallelism comes
   * from tasks, and a float result never depends on how many threads split a kernel, so local mode
   * and every executor agree bit for bit); TorchScript's graph optimiser off (it re-optimises after
   * the first calls, which can change the last bit of a result).
   */
  public static void configureEngine() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      SparkEnv env = SparkEnv.get();
      String cpus = env == null ? "1" : env.conf().get("spark.task.cpus", "1");
      System.setProperty("ai.djl.pytorch.num_threads", cpus);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }

  private static ZooModel<NDList, NDList> load(ModelSpec spec, Device device) {
    configureEngine();
    if (!device.isGpu()) {
      EngineCheck.verifyCpu();
    }
    Path file = ModelFiles.local(spec.model());
    long start = System.nanoTime();
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            // the folder plus the file name: DJL warns about a repository pointing at a file
            .optModelPath(file.toAbsolutePath().getParent())
            .optModelName(file.getFileName().toString())
            .optEngine("PyTorch")
            .optDevice(device)
            .optOption("mapLocation", "true")
            .optTranslator(new NoopTranslator())
            .build();
    try {
      ZooModel<NDList, NDList> model = criteria.loadModel();
      int n = LOADS.incrementAndGet();
      LOG.info(
          "segspark model load #{} in pid {} ({}): {} from {} on {} in {} ms",
          n,
          pid(),
          ManagementFactory.getRuntimeMXBean().getName(),
          spec.name(),
          file,
          device,
          (System.nanoTime() - start) / 1_000_000);
      return model;
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot load model "
              + spec.model()
              + " (spec "
              + spec.source()
              + "): not a readable TorchScript file ("
              + firstLine(e)
              + ")",
          e);
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}

package dev.segspark.udfs.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.udfs.model.ModelSpec.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per (model file, engine, device) per JVM: every task of an executor shares it
 * (TorchScript modules and ONNX Runtime sessions are safe for concurrent forward calls); each task
 * only creates its own {@link ai.djl.inference.Predictor}. Models stay loaded until the JVM exits.
 *
 * <p>Engines: {@code pytorch} loads TorchScript with libtorch; {@code onnxruntime} loads ONNX with
 * ONNX Runtime, with the CUDA execution provider when the device is a GPU (that needs {@code
 * com.microsoft.onnxruntime:onnxruntime_gpu} instead of the CPU build on the class path). A file of
 * the other kind is refused before loading, naming the engine to use.
 *
 * <p>See {@link #configureEngine()} for the DJL settings applied before the first load; before the
 * first load on the CPU, {@link Nnpack} quiets libtorch's NNPACK question where NNPACK cannot start
 * and {@link EngineCheck} proves that the engine's convolutions are right here.
 *
 * <p>Every load is logged ({@code segspark model load #n in pid P: ...}) and counted, so a job can
 * prove that an executor loaded its model once, not once per task.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Map<Key, ZooModel<NDList, NDList>> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ModelCache() {}

  private record Key(String model, Engine engine, String device) {}

  /** The loaded model of {@code spec} on {@code device}, loading it on first use in this JVM. */
  public static ZooModel<NDList, NDList> get(ModelSpec spec, Device device) {
    return MODELS.computeIfAbsent(
        new Key(spec.model(), spec.engine(), device.toString()), k -> load(spec, device));
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
    boolean torch = spec.engine() == Engine.PYTORCH;
    if (torch && !device.isGpu()) {
      Nnpack.offWhereUnavailable();
      EngineCheck.verifyCpu();
    }
    Path file = ModelFiles.local(spec.model());
    checkFormat(spec, file);
    long start = System.nanoTime();
    Criteria.Builder<NDList, NDList> builder =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            // the folder plus the file name: DJL warns about a repository pointing at a file
            .optModelPath(file.toAbsolutePath().getParent())
            .optModelName(file.getFileName().toString())
            .optEngine(spec.engine().djlName())
            .optDevice(device)
            .optTranslator(new NoopTranslator());
    if (torch) {
      builder.optOption("mapLocation", "true");
    } else {
      // the same threading rule as libtorch's (see configureEngine)
      builder
          .optOption("intraOpNumThreads", System.getProperty("ai.djl.pytorch.num_threads", "1"))
          .optOption("interOpNumThreads", "1");
    }
    Criteria<NDList, NDList> criteria = builder.build();
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
              + "): not a readable "
              + (torch ? "TorchScript" : "ONNX")
              + " file ("
              + firstLine(e)
              + ")",
          e);
    }
  }

  /**
   * Refuses a file of the other engine's kind before loading it: TorchScript files are zip
   * archives, ONNX files are protocol buffers (never a zip).
   */
  static void checkFormat(ModelSpec spec, Path file) {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    } catch (IOException e) {
      throw new InvalidInputException(
          spec.model(), "Cannot load model " + spec.model() + ": " + e.getMessage(), e);
    }
    boolean zip = n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    boolean torch = spec.engine() == Engine.PYTORCH;
    if (n == 0) {
      throw new InvalidInputException(
          spec.model(), "Cannot load model " + spec.model() + ": the file is empty");
    }
    if (torch && !zip) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot load model "
              + spec.model()
              + " (spec "
              + spec.source()
              + "): not a readable TorchScript file (engine pytorch needs a zip archive, this is"
              + " not one)"
              + (file.toString().endsWith(".onnx")
                  ? "; for an ONNX file set engine: onnxruntime"
                  : ""));
    }
    if (!torch && zip) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot load model "
              + spec.model()
              + " (spec "
              + spec.source()
              + "): engine onnxruntime needs an ONNX file, this is a zip archive (TorchScript?);"
              + " set engine: pytorch, or export the model to ONNX");
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per (model file, device, precision) per JVM: every task of an executor shares it
 * (TorchScript modules are safe for concurrent forward calls); each task only creates its own
 * {@link ai.djl.inference.Predictor}. Models stay loaded until the JVM exits.
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

  private static ZooModel<NDList, NDList> load(ModelSpec spec, Device device) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    Path file = ModelFiles.local(spec.model());
    long start = System.nanoTime();
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(file)
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

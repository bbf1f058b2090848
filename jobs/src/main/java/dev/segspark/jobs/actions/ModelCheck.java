package dev.segspark.jobs.actions;

import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.udfs.model.ModelCache;
import dev.segspark.udfs.model.ModelChecks;
import dev.segspark.udfs.model.ModelSpec;
import java.util.concurrent.FutureTask;

/**
 * The driver's model check ({@link ModelChecks#verify}) on a thread of its own, so that loading
 * libtorch, its engine check and the blank forward pass (about 2 s of a local {@code evaluate
 * --model} on 2 cores) overlap the Spark session's start instead of preceding it. The engine's
 * settings are fixed on the calling thread first, so they are the ones a check on that thread would
 * have fixed, whichever of the two finishes first. {@link #await} gives the check's failure as the
 * check threw it; actions call it before they claim outputs or submit a task.
 */
final class ModelCheck {
  private final FutureTask<Void> done;

  private ModelCheck(FutureTask<Void> done) {
    this.done = done;
  }

  /** Starts checking {@code model} against {@code dataset} (named {@code datasetName}). */
  static ModelCheck start(ModelSpec model, LabelTable dataset, String datasetName) {
    ModelCache.configureEngine();
    FutureTask<Void> task =
        new FutureTask<>(() -> ModelChecks.verify(model, dataset, datasetName), null);
    Thread t = new Thread(task, "segspark-model-check");
    t.setDaemon(true);
    t.start();
    return new ModelCheck(task);
  }

  /** Waits for the check; rethrows its failure. */
  void await() {
    JobSupport.value(done, "checking the model");
  }
}

package dev.segspark.udfs.model;

import ai.djl.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a task runs its model on: the GPU address Spark assigned to the task ({@code
 * spark.task.resource.gpu.amount}), else the CPU. {@code -Dsegspark.device=cpu|gpu0|...} overrides
 * it (for one-JVM tools and benchmarks).
 */
public final class Devices {
  private Devices() {}

  /** The device for the current task (or thread, outside Spark tasks). */
  public static Device forCurrentTask() {
    ModelCache.configureEngine();
    String forced = System.getProperty("segspark.device");
    if (forced != null && !forced.isBlank()) {
      return Device.fromName(forced);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
      if (gpu.isDefined() && gpu.get().addresses().length > 0) {
        return Device.gpu(Integer.parseInt(gpu.get().addresses()[0].trim()));
      }
    }
    return Device.cpu();
  }
}

package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.udfs.model.ModelSpec;

/**
 * What a head needs besides the outputs.
 *
 * @param spec the model spec
 * @param inJvm post-process in the JVM from the low-resolution outputs (CPU), else with tensor
 *     operations on the model's device (GPU); both give the same label maps
 * @param withConfidence whether to compute {@code Segmentation#confidence()} (else NaN)
 */
public record HeadContext(ModelSpec spec, boolean inJvm, boolean withConfidence) {

  /** An error of the model's output, naming the model file. */
  public InvalidInputException error(String reason) {
    return new InvalidInputException(
        spec.model(), "Cannot use model " + spec.model() + ": " + reason);
  }

  /**
   * Checks that {@code array} has {@code dimensions} axes and {@code expected} entries on {@code
   * axis}.
   *
   * @param what how the spec names {@code expected}, e.g. "classes"
   */
  public void checkAxis(NDArray array, int dimensions, int axis, int expected, String what) {
    Shape shape = array.getShape();
    if (shape.dimension() != dimensions || shape.get(axis) != expected) {
      throw error(
          "output shape "
              + shape
              + " does not match "
              + expected
              + " "
              + what
              + " of spec "
              + spec.source());
    }
  }
}

package dev.segspark.udfs.model;

import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.udfs.io.DecodedImage;
import java.util.List;

/** Driver-side checks of a model before any task starts. */
public final class ModelChecks {
  private ModelChecks() {}

  /**
   * Checks that the model's classes fit the dataset, that its file loads, and that one forward pass
   * on a blank input of the spec's size gives outputs of the shape the adapter expects.
   *
   * @param model the model
   * @param dataset the dataset's label table
   * @param datasetName the dataset name, for messages
   */
  public static void verify(ModelSpec model, LabelTable dataset, String datasetName) {
    int datasetClasses = ModelSpec.outputClasses(dataset, model.outputIds());
    if (model.numClasses() != datasetClasses) {
      throw new IllegalArgumentException(
          "Cannot use model "
              + model.name()
              + " ("
              + model.source()
              + "): it predicts "
              + model.numClasses()
              + " classes, dataset "
              + datasetName
              + " has "
              + datasetClasses
              + (model.outputIds() == PredictionIds.TRAIN_IDS ? " train classes" : " label ids"));
    }
    int h = model.input().height();
    int w = model.input().width();
    try (Segmenter segmenter = new Segmenter(model, false)) {
      segmenter.segment(List.of(new DecodedImage("blank check input", w, h, new byte[3 * w * h])));
    }
  }
}

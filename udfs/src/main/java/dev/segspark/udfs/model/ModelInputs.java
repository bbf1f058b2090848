package dev.segspark.udfs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segspark.udfs.io.DecodedImage;
import java.nio.ByteBuffer;
import java.util.List;

/** A batch of decoded images as a model's input tensor: channel order, {@code (v - mean) / std}. */
public final class ModelInputs {
  private ModelInputs() {}

  /**
   * The batch as normalised float {@code [B,3,H,W]} in the model's channel order. On a GPU the
   * bytes are uploaded and converted there; on the CPU one pass in Java writes the final floats
   * (the same IEEE operations, {@code (v - mean) / std} in float, as the tensor path).
   */
  static NDArray upload(NDManager scope, List<DecodedImage> batch, ModelSpec spec, boolean inJvm) {
    DecodedImage first = batch.get(0);
    int h = first.height();
    int w = first.width();
    if (inJvm) {
      return scope.create(normalise(batch, spec), new Shape(batch.size(), 3, h, w));
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(first.rgb().length * batch.size());
    for (DecodedImage image : batch) {
      buf.put(image.rgb());
    }
    buf.flip();
    NDArray x =
        scope
            .create(buf, new Shape(batch.size(), h, w, 3), DataType.UINT8)
            .toType(DataType.FLOAT32, false);
    if (spec.bgr()) {
      x = x.flip(3);
    }
    NDArray mean = scope.create(spec.mean(), new Shape(1, 1, 1, 3));
    NDArray std = scope.create(spec.std(), new Shape(1, 1, 1, 3));
    // normalise channels-last, then one contiguous NCHW copy: a bare transpose would hand the model
    // channels-last strides, a layout it was not traced with. Flattening the permuted tensor cannot
    // be a view, so it copies into contiguous memory; the second reshape is a view of that copy.
    return x.sub(mean)
        .div(std)
        .transpose(0, 3, 1, 2)
        .reshape(batch.size(), 3L * h * w)
        .reshape(batch.size(), 3, h, w);
  }

  /**
   * A batch of equal-shape images as the model's contiguous {@code [B,3,H,W]} input: channels in
   * the model's order, {@code (v - mean) / std} in float. The CPU path feeds exactly this.
   */
  public static float[] normalise(List<DecodedImage> batch, ModelSpec spec) {
    DecodedImage first = batch.get(0);
    int plane = first.height() * first.width();
    float[] out = new float[batch.size() * 3 * plane];
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int b = 0; b < batch.size(); b++) {
      byte[] rgb = batch.get(b).rgb();
      for (int c = 0; c < 3; c++) {
        int src = spec.bgr() ? 2 - c : c;
        int base = (b * 3 + c) * plane;
        float m = mean[c];
        float sd = std[c];
        for (int i = 0; i < plane; i++) {
          out[base + i] = ((rgb[3 * i + src] & 255) - m) / sd;
        }
      }
    }
    return out;
  }
}

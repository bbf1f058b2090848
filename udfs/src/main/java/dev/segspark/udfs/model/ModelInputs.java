package dev.segspark.udfs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segspark.udfs.io.DecodedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
    return upload(scope, batch, spec, inJvm, null);
  }

  /**
   * As {@link #upload(NDManager, List, ModelSpec, boolean)}; on the CPU the floats are written into
   * {@code staging} (direct, native order) when it is large enough, and the tensor wraps that
   * memory without a copy: the caller must not reuse {@code staging} while the tensor is in use.
   */
  static NDArray upload(
      NDManager scope, List<DecodedImage> batch, ModelSpec spec, boolean inJvm, Staging staging) {
    DecodedImage first = batch.get(0);
    int h = first.height();
    int w = first.width();
    if (inJvm) {
      Shape shape = new Shape(batch.size(), 3, h, w);
      ByteBuffer buf =
          staging == null
              ? ByteBuffer.allocateDirect(Math.toIntExact(shape.size() * 4))
              : staging.take(shape.size() * 4);
      buf.order(ByteOrder.nativeOrder());
      normalise(batch, spec, buf.asFloatBuffer());
      return scope.create(buf, shape, DataType.FLOAT32);
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
    float[] out = new float[batch.size() * 3 * first.height() * first.width()];
    normalise(batch, spec, FloatBuffer.wrap(out));
    return out;
  }

  /**
   * {@link #normalise(List, ModelSpec)} into {@code out} from its index 0: each channel's 256
   * possible results are computed once ({@code (v - mean) / std} in float, so the values are those
   * of a per-pixel computation) and looked up per pixel.
   */
  static void normalise(List<DecodedImage> batch, ModelSpec spec, FloatBuffer out) {
    DecodedImage first = batch.get(0);
    int plane = first.height() * first.width();
    float[] mean = spec.mean();
    float[] std = spec.std();
    float[][] table = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        table[c][v] = (v - mean[c]) / std[c];
      }
    }
    float[] row = new float[Math.min(plane, 4096)];
    for (int b = 0; b < batch.size(); b++) {
      byte[] rgb = batch.get(b).rgb();
      for (int c = 0; c < 3; c++) {
        int src = spec.bgr() ? 2 - c : c;
        int base = (b * 3 + c) * plane;
        float[] lut = table[c];
        // in chunks: a float[] loop, then one bulk copy into the (possibly direct) buffer
        for (int from = 0; from < plane; from += row.length) {
          int len = Math.min(row.length, plane - from);
          for (int i = 0; i < len; i++) {
            row[i] = lut[rgb[3 * (from + i) + src] & 255];
          }
          out.put(base + from, row, 0, len);
        }
      }
    }
  }

  /**
   * One task's reusable input memory: a direct buffer that grows to the largest batch seen. Not
   * thread-safe.
   */
  static final class Staging {
    private ByteBuffer buffer;

    /**
     * A buffer of exactly {@code bytes} (position 0, limit {@code bytes}), reused when possible.
     */
    ByteBuffer take(long bytes) {
      int n = Math.toIntExact(bytes);
      if (buffer == null || buffer.capacity() < n) {
        buffer = ByteBuffer.allocateDirect(n);
      }
      buffer.clear().limit(n);
      return buffer.slice().order(ByteOrder.nativeOrder());
    }
  }
}

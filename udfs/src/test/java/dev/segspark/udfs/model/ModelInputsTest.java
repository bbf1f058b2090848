package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.udfs.io.DecodedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU input tensor: the same floats as {@code (v - mean) / std} per pixel, in any buffer. */
class ModelInputsTest {

  @Test
  void everyByteValueGivesThePerPixelFloatInBothChannelOrders() {
    ModelSpec rgb =
        ModelSpecs.load(ModelParityTest.repoRoot().resolve("conf/models/segformer-synth.yaml"));
    // 256 x 3 pixels: every value in every channel, channels shifted so that they differ
    byte[] a = new byte[3 * 256 * 3];
    byte[] b = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (i * 7 + i / 3);
      b[i] = (byte) (255 - i);
    }
    List<DecodedImage> batch =
        List.of(new DecodedImage("a", 256, 3, a), new DecodedImage("b", 256, 3, b));
    for (boolean bgr : new boolean[] {false, true}) {
      ModelSpec spec = bgr ? withBgr(rgb) : rgb;
      float[] expected = new float[2 * 3 * 768];
      for (int n = 0; n < 2; n++) {
        byte[] px = batch.get(n).rgb();
        for (int c = 0; c < 3; c++) {
          int src = bgr ? 2 - c : c;
          for (int i = 0; i < 768; i++) {
            expected[(n * 3 + c) * 768 + i] =
                ((px[3 * i + src] & 255) - spec.mean()[c]) / spec.std()[c];
          }
        }
      }
      assertThat(ModelInputs.normalise(batch, spec)).containsExactly(expected);
      ByteBuffer direct = new ModelInputs.Staging().take(4L * expected.length);
      ModelInputs.normalise(batch, spec, direct.order(ByteOrder.nativeOrder()).asFloatBuffer());
      float[] fromDirect = new float[expected.length];
      direct.asFloatBuffer().get(fromDirect);
      assertThat(fromDirect).containsExactly(expected);
    }
  }

  @Test
  void stagingReusesItsMemoryAndGrows() {
    ModelInputs.Staging staging = new ModelInputs.Staging();
    ByteBuffer first = staging.take(64);
    first.putInt(0, 42);
    ByteBuffer again = staging.take(32);
    assertThat(again.capacity()).isEqualTo(32);
    assertThat(again.getInt(0)).isEqualTo(42); // the same memory, not a new buffer
    assertThat(staging.take(128).capacity()).isEqualTo(128);
    assertThat(again.isDirect()).isTrue();
  }

  private static ModelSpec withBgr(ModelSpec s) {
    return new ModelSpec(
        s.name(),
        s.source(),
        s.model(),
        s.engine(),
        s.architecture(),
        s.adapter(),
        s.classes(),
        s.table(),
        s.outputIds(),
        s.numClasses(),
        s.input(),
        true,
        s.mean(),
        s.std(),
        s.batchSize(),
        s.precision(),
        s.detrThreshold());
  }
}

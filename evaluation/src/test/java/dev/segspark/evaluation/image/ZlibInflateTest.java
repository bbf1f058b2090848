package dev.segspark.evaluation.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZlibInflateTest {

  /** Runs of repeated short patterns with noise: literals, short and long, near and far matches. */
  private static byte[] data(int n, long seed, int noisePercent) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] b = new byte[n];
    int i = 0;
    while (i < n) {
      int run = 1 + rng.nextInt(rng.nextBoolean() ? 8 : 3000);
      int period = 1 + rng.nextInt(rng.nextBoolean() ? 3 : 2000);
      int start = i;
      for (int k = 0; k < run && i < n; k++, i++) {
        b[i] =
            rng.nextInt(100) < noisePercent || i - start < period
                ? (byte) rng.nextInt(256)
                : b[i - period];
      }
    }
    return b;
  }

  private static byte[] deflate(byte[] raw, int level, int strategy) {
    Deflater deflater = new Deflater(level);
    deflater.setStrategy(strategy);
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, 0, 100000",
    "1, 0, 5, 300000",
    "6, 0, 0, 921600",
    "9, 0, 30, 200000",
    "6, 1, 10, 100000",
    "6, 2, 10, 100000",
    "6, 0, 100, 70000",
    "9, 0, 0, 1",
    "6, 0, 0, 0"
  })
  void inflatesWhatZlibDeflatesAtEveryLevelAndStrategy(
      int level, int strategy, int noise, int size) {
    byte[] raw = data(size, level * 31L + strategy + noise, noise);
    byte[] out = new byte[size];
    assertThat(ZlibInflate.inflate(deflate(raw, level, strategy), out)).isTrue();
    assertThat(out).isEqualTo(raw);
  }

  @ParameterizedTest
  @CsvSource({"60", "3000", "20000"})
  void smallInputsUseFixedCodesAndStillInflate(int size) {
    byte[] raw = data(size, size, 20);
    byte[] z = deflate(raw, Deflater.BEST_SPEED, Deflater.DEFAULT_STRATEGY);
    byte[] out = new byte[size];
    assertThat(ZlibInflate.inflate(z, out)).isTrue();
    assertThat(out).isEqualTo(raw);
  }

  @ParameterizedTest
  @CsvSource({"-1", "1"})
  void anotherSizeThanTheStreamHoldsIsNotVouchedFor(int delta) {
    byte[] raw = data(50000, 5, 10);
    byte[] z = deflate(raw, 6, Deflater.DEFAULT_STRATEGY);
    assertThat(ZlibInflate.inflate(z, new byte[raw.length + delta])).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "2", "3", "10", "200"})
  void corruptStreamsAreNotVouchedFor(int cut) {
    byte[] raw = data(50000, 6, 10);
    byte[] z = deflate(raw, 6, Deflater.DEFAULT_STRATEGY);
    // truncated by `cut` bytes (0: the Adler-32 spoilt instead)
    byte[] bad = cut == 0 ? z.clone() : Arrays.copyOf(z, z.length - cut);
    if (cut == 0) {
      bad[bad.length - 1] ^= 1;
    }
    assertThat(ZlibInflate.inflate(bad, new byte[raw.length])).isFalse();
  }

  /** Another compression method, a header that fails its check, a preset dictionary. */
  @ParameterizedTest
  @CsvSource({"0, 0x79", "1, 0xDB", "1, 0x20"})
  void badHeadersAreNotVouchedFor(int index, int value) {
    byte[] raw = data(1000, 7, 10);
    byte[] z = deflate(raw, 6, Deflater.DEFAULT_STRATEGY);
    z[index] = (byte) value;
    assertThat(ZlibInflate.inflate(z, new byte[raw.length])).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"1", "2", "3", "4", "5", "6", "7", "8"})
  void flippedBitsNeverGiveOtherBytes(long seed) {
    byte[] raw = data(40000, seed, 10);
    byte[] z = deflate(raw, 6, Deflater.DEFAULT_STRATEGY);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < 200; k++) {
      byte[] bad = z.clone();
      int at = 2 + rng.nextInt(bad.length - 6);
      bad[at] ^= (byte) (1 << rng.nextInt(8));
      byte[] out = new byte[raw.length];
      if (ZlibInflate.inflate(bad, out)) {
        assertThat(out).isEqualTo(raw); // only a flip that changes nothing may pass
      }
    }
  }
}

package dev.segspark.evaluation.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackedRgbTest {

  /** Flat rectangles of random colours over noise: equal and unequal Paeth neighbours. */
  private static int[] scene(int w, int h, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] samples = new int[w * h * 3];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = rng.nextInt(256);
    }
    for (int k = 0; k < 12; k++) {
      int x0 = rng.nextInt(w);
      int y0 = rng.nextInt(h);
      int x1 = Math.min(w, x0 + 1 + rng.nextInt(w));
      int y1 = Math.min(h, y0 + 1 + rng.nextInt(h));
      int colour = rng.nextInt(1 << 24);
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          for (int c = 0; c < 3; c++) {
            samples[(y * w + x) * 3 + c] = colour >> (8 * c) & 0xFF;
          }
        }
      }
    }
    return samples;
  }

  private static int[] expected(int[] samples) {
    int[] packed = new int[samples.length / 3];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = samples[3 * i] | samples[3 * i + 1] << 8 | samples[3 * i + 2] << 16;
    }
    return packed;
  }

  /** Sequential 8-bit RGB, row {@code y} filtered with {@code filters[y % filters.length]}. */
  private static byte[] sequentialRgb(int w, int h, int[] samples, int[] filters) {
    int stride = 3 * w;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      int filter = filters[y % filters.length];
      raw.write(filter);
      for (int x = 0; x < stride; x++) {
        int a = x >= 3 ? samples[y * stride + x - 3] : 0;
        int b = y > 0 ? samples[(y - 1) * stride + x] : 0;
        int c = x >= 3 && y > 0 ? samples[(y - 1) * stride + x - 3] : 0;
        int predictor =
            switch (filter) {
              case 0 -> 0;
              case 1 -> a;
              case 2 -> b;
              case 3 -> (a + b) / 2;
              default -> paeth(a, b, c);
            };
        raw.write(samples[y * stride + x] - predictor);
      }
    }
    return PngTest.InterlacedPng.container(w, h, PngImage.RGB, 8, 0, null, raw.toByteArray());
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "2", "3", "4", "43210", "24", "4411232200"})
  void everyRowFilterGivesThePackedSamples(String filterList) {
    int[] filters = filterList.chars().map(ch -> ch - '0').toArray();
    int w = 37;
    int h = 23;
    int[] samples = scene(w, h, filterList.hashCode());
    byte[] png = sequentialRgb(w, h, samples, filters);
    PackedRgb packed = Png.decodePackedRgb(png, "ids.png");
    assertThat(packed.width()).isEqualTo(w);
    assertThat(packed.height()).isEqualTo(h);
    assertThat(packed.pixels()).isEqualTo(expected(samples));
    assertThat(packed.pixels()).isEqualTo(PackedRgb.of(Png.decode(png, "ids.png")).pixels());
  }

  /**
   * Flat scenes, as segment-id maps are: whole rows and long stretches of zero residuals, which the
   * decoder skips eight pixels at a time. Widths around multiples of eight put the stretches' ends
   * everywhere in a block; a few lone pixels break runs anywhere.
   */
  @ParameterizedTest
  @CsvSource({"1", "2", "4", "43210", "4411232200"})
  void flatScenesWithLongZeroRunsGiveThePackedSamples(String filterList) {
    int[] filters = filterList.chars().map(ch -> ch - '0').toArray();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(filterList.hashCode());
    for (int w : new int[] {7, 8, 9, 15, 16, 17, 24, 31, 33, 64, 65, 100}) {
      int h = 11;
      int[] samples = scene(w, h, w);
      int background = rng.nextInt(1 << 24);
      for (int i = 0; i < w * h; i++) { // everything flat, then rectangles and lone pixels
        for (int c = 0; c < 3; c++) {
          samples[3 * i + c] = background >> (8 * c) & 0xFF;
        }
      }
      for (int k = 0; k < 4; k++) {
        int x0 = rng.nextInt(w);
        int x1 = Math.min(w, x0 + 1 + rng.nextInt(w));
        int y0 = rng.nextInt(h);
        int colour = rng.nextInt(1 << 24);
        for (int y = y0; y < h; y++) {
          for (int x = x0; x < x1; x++) {
            for (int c = 0; c < 3; c++) {
              samples[(y * w + x) * 3 + c] = colour >> (8 * c) & 0xFF;
            }
          }
        }
      }
      for (int k = 0; k < 3; k++) {
        samples[rng.nextInt(w * h * 3)] = rng.nextInt(256);
      }
      byte[] png = sequentialRgb(w, h, samples, filters);
      assertThat(Png.decodePackedRgb(png, "flat.png").pixels())
          .as("width %d", w)
          .isEqualTo(expected(samples));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void narrowImagesAndOnePixelRows(int w) {
    int[] samples = scene(w, 9, w);
    byte[] png = sequentialRgb(w, 9, samples, new int[] {4, 3, 2, 1, 0});
    assertThat(Png.decodePackedRgb(png, "n.png").pixels()).isEqualTo(expected(samples));
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "6, 0", "6, 1"})
  void interlacedAndRgbaArePackedToo(int colorType, int interlace) {
    int channels = colorType == PngImage.RGBA ? 4 : 3;
    int w = 13;
    int h = 11;
    int[] samples = new int[w * h * channels];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = rng.nextInt(256);
    }
    byte[] png =
        interlace == 1
            ? PngTest.InterlacedPng.encode(w, h, colorType, 8, samples, null)
            : rgbaSequential(w, h, samples);
    int[] pixels = Png.decodePackedRgb(png, "a.png").pixels();
    for (int i = 0; i < w * h; i++) {
      int s = i * channels;
      assertThat(pixels[i]).isEqualTo(samples[s] | samples[s + 1] << 8 | samples[s + 2] << 16);
    }
  }

  private static byte[] rgbaSequential(int w, int h, int[] samples) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      raw.write(0);
      for (int x = 0; x < 4 * w; x++) {
        raw.write(samples[y * 4 * w + x]);
      }
    }
    return PngTest.InterlacedPng.container(w, h, PngImage.RGBA, 8, 0, null, raw.toByteArray());
  }

  @ParameterizedTest
  @CsvSource({"0, 8", "3, 8", "2, 16", "4, 8"})
  void otherKindsAreRefusedWithTheFileName(int colorType, int depth) {
    int channels = PngImage.channels(colorType);
    byte[] png =
        PngTest.InterlacedPng.encode(4, 3, colorType, depth, new int[12 * channels], new int[4]);
    assertThatThrownBy(() -> Png.decodePackedRgb(png, "grey.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot decode PNG grey.png: it is a ")
        .hasMessageEndingWith("image; expected 8-bit RGB or RGBA");
  }

  @ParameterizedTest
  @ValueSource(ints = {5, -1})
  void anUnknownRowFilterNamesTheRow(int filter) {
    int[] samples = scene(6, 4, 1);
    byte[] png = sequentialRgb(6, 4, samples, new int[] {0, 0, filter & 0xFF});
    assertThatThrownBy(() -> Png.decodePackedRgb(png, "f.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot decode PNG f.png: invalid row filter " + (byte) filter + " at row 2");
  }
}

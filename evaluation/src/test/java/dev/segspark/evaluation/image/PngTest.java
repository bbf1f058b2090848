package dev.segspark.evaluation.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngTest {
  private static byte[] randomBytes(int n, int bound, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rng.nextInt(bound);
    }
    return b;
  }

  @Test
  void grey8RoundTripAndImageIoAgrees() throws IOException {
    byte[] values = randomBytes(37 * 23, 34, 1);
    byte[] png = Png.encodeGrey8(37, 23, values);
    LabelMap map = Png.decodeLabelMap(png, "a.png");
    assertThat(map.bytes()).isEqualTo(values);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getRaster().getSample(5, 7, 0)).isEqualTo(values[7 * 37 + 5] & 0xFF);
  }

  @Test
  void grey16RoundTrip() {
    short[] values = new short[19 * 11];
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) (i * 977 % 65536);
    }
    LabelMap map = Png.decodeLabelMap(Png.encodeGrey16(19, 11, values), "inst.png");
    assertThat(map.shorts()).isEqualTo(values);
    assertThat(map.get(100)).isEqualTo(100 * 977 % 65536);
  }

  @Test
  void rgbRoundTripWithSubFilter() {
    byte[] rgb = randomBytes(16 * 9 * 3, 256, 2);
    PngImage image = Png.decode(Png.encodeRgb(16, 9, rgb), "f.png");
    assertThat(image.colorType()).isEqualTo(PngImage.RGB);
    assertThat(image.bytes()).isEqualTo(rgb);
  }

  @Test
  void decodesAllRowFiltersAsWrittenByImageIo() throws IOException {
    // ImageIO's writer chooses filters adaptively (Sub, Up, Average, Paeth) on noisy RGB
    BufferedImage img = new BufferedImage(64, 40, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom rng = new SplittableRandom(3);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, (x * 4 << 16) | (y * 6 << 8) | rng.nextInt(256));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    PngImage decoded = Png.decode(out.toByteArray(), "imageio.png");
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 64; x++) {
        int i = (y * 64 + x) * 3;
        int rgb =
            ((decoded.bytes()[i] & 255) << 16)
                | ((decoded.bytes()[i + 1] & 255) << 8)
                | (decoded.bytes()[i + 2] & 255);
        assertThat(rgb).isEqualTo(img.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  @Test
  void paletteIndicesAreLabels() throws IOException {
    byte[] indices = randomBytes(30 * 20, 21, 4);
    byte[] png = Png.encodePalette(30, 20, indices, new int[256]);
    assertThat(Png.decodeLabelMap(png, "voc.png").bytes()).isEqualTo(indices);
    // a 4-bit palette PNG written by ImageIO
    byte[] r = new byte[16];
    IndexColorModel cm = new IndexColorModel(4, 16, r, r, r);
    BufferedImage img = new BufferedImage(9, 5, BufferedImage.TYPE_BYTE_BINARY, cm);
    for (int i = 0; i < 45; i++) {
      img.getRaster().setSample(i % 9, i / 9, 0, i % 16);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    LabelMap map = Png.decodeLabelMap(out.toByteArray(), "4bit.png");
    for (int i = 0; i < 45; i++) {
      assertThat(map.get(i)).isEqualTo(i % 16);
    }
  }

  @Test
  void errorsNameTheFile() {
    byte[] png = Png.encodeGrey8(8, 8, new byte[64]);
    assertThatThrownBy(() -> Png.decode(Arrays.copyOf(png, 20), "short.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("short.png")
        .hasMessageContaining("not a PNG");
    assertThatThrownBy(() -> Png.decode(Arrays.copyOf(png, png.length - 20), "cut.png"))
        .hasMessageContaining("cut.png")
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> Png.decodeLabelMap(Png.encodeRgb(2, 2, new byte[12]), "rgb.png"))
        .hasMessageContaining("rgb.png")
        .hasMessageContaining("RGB 8-bit image");
    byte[] corrupt = png.clone();
    Arrays.fill(corrupt, 41, corrupt.length - 12, (byte) 0x55);
    assertThatThrownBy(() -> Png.decode(corrupt, "bad.png")).hasMessageContaining("bad.png");
  }
}

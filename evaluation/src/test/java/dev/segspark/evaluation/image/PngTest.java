package dev.segspark.evaluation.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** The chunks of a PNG, type and data, in order (the CRCs are rewritten by {@link #png}). */
  private static List<Map.Entry<String, byte[]>> chunks(byte[] png) {
    List<Map.Entry<String, byte[]>> chunks = new ArrayList<>();
    for (int at = 8; at < png.length; ) {
      int length = java.nio.ByteBuffer.wrap(png, at, 4).getInt();
      String type = new String(png, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      chunks.add(Map.entry(type, Arrays.copyOfRange(png, at + 8, at + 8 + length)));
      at += 12 + length;
    }
    return chunks;
  }

  /** A PNG of {@code chunks}, each with its correct CRC. */
  private static byte[] png(List<Map.Entry<String, byte[]>> chunks) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 137, 80, 78, 71, 13, 10, 26, 10});
    chunks.forEach(c -> InterlacedPng.chunk(png, c.getKey(), c.getValue()));
    return png.toByteArray();
  }

  /** {@code png} with its image data replaced by {@code zlib}, in one IDAT. */
  private static byte[] withImageData(byte[] png, byte[] zlib) {
    List<Map.Entry<String, byte[]>> chunks = new ArrayList<>();
    for (Map.Entry<String, byte[]> c : chunks(png)) {
      if (c.getKey().equals("IEND")) {
        chunks.add(Map.entry("IDAT", zlib));
      }
      if (!c.getKey().equals("IDAT")) {
        chunks.add(c);
      }
    }
    return png(chunks);
  }

  private static byte[] imageData(byte[] png) {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    chunks(png).stream()
        .filter(c -> c.getKey().equals("IDAT"))
        .forEach(c -> idat.writeBytes(c.getValue()));
    return idat.toByteArray();
  }

  /** A zlib header with the given CINFO and FDICT, its check bits made valid. */
  private static void zlibHeader(byte[] zlib, int cinfo, boolean dictionary) {
    int cmf = cinfo << 4 | 8;
    int flg = (zlib[1] & 0xC0) | (dictionary ? 0x20 : 0);
    flg += (31 - (cmf << 8 | flg) % 31) % 31;
    zlib[0] = (byte) cmf;
    zlib[1] = (byte) flg;
  }

  /**
   * Every byte of the image data is vouched for by its chunk's CRC, as libpng checks critical
   * chunks: one flipped bit in a label map is an error naming the file and the chunk, on the
   * label-map path and on the RGB path alike, never a map with one label changed.
   */
  @Test
  void aCorruptByteInACriticalChunkFailsItsCrc() {
    byte[] values = randomBytes(64 * 32, 19, 7);
    byte[] grey = Png.encodeGrey8(64, 32, values);
    int idat = indexOf(grey, "IDAT");
    byte[] flipped = grey.clone();
    flipped[idat + 4 + 10] ^= 0x10;
    assertThatThrownBy(() -> Png.decodeLabelMap(flipped, "flip.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Cannot decode PNG flip.png: CRC mismatch in chunk IDAT at byte "
                + (idat - 4)
                + " (corrupt file)");
    byte[] rgb = Png.encodeRgb(16, 9, randomBytes(16 * 9 * 3, 256, 8));
    byte[] badRgb = rgb.clone();
    badRgb[indexOf(rgb, "IDAT") + 4 + 3] ^= 0x01;
    assertThatThrownBy(() -> Png.decodePackedRgb(badRgb, "rgb.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("rgb.png: CRC mismatch in chunk IDAT");
    byte[] badHeader = grey.clone();
    badHeader[16] ^= 0x01; // the width's lowest byte
    assertThatThrownBy(() -> Png.header(badHeader, "hdr.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Cannot decode PNG hdr.png: CRC mismatch in chunk IHDR at byte 8 (corrupt file)");
  }

  /** An ancillary chunk (tEXt) with a wrong CRC is skipped, as libpng and PIL skip it. */
  @Test
  void anAncillaryChunkWithAWrongCrcIsIgnored() {
    byte[] values = randomBytes(20 * 10, 30, 9);
    byte[] png = Png.encodeGrey8(20, 10, values);
    int idat = indexOf(png, "IDAT") - 4;
    byte[] text = {0, 0, 0, 3, 't', 'E', 'X', 't', 'a', 0, 'b', 1, 2, 3, 4};
    byte[] withText = new byte[png.length + text.length];
    System.arraycopy(png, 0, withText, 0, idat);
    System.arraycopy(text, 0, withText, idat, text.length);
    System.arraycopy(png, idat, withText, idat + text.length, png.length - idat);
    assertThat(Png.decodeLabelMap(withText, "text.png").bytes()).isEqualTo(values);
  }

  /**
   * Image data other than a plain 32 KiB-window zlib stream is inflated by zlib whole: a smaller
   * window (libpng writes those for small images) decodes the same; a preset dictionary, which PNG
   * forbids, is an error rather than an endless wait for one.
   */
  @Test
  void unusualZlibHeadersGoToZlib() {
    byte[] values = randomBytes(12 * 6, 5, 10);
    byte[] png = Png.encodeGrey8(12, 6, values);
    byte[] small = imageData(png);
    zlibHeader(small, 1, false); // a 512-byte window: the 78 inflated bytes fit it
    assertThat(Png.decodeLabelMap(withImageData(png, small), "small-window.png").bytes())
        .isEqualTo(values);
    byte[] zlib = imageData(png);
    byte[] dictionary = new byte[zlib.length + 4];
    dictionary[0] = zlib[0];
    dictionary[1] = zlib[1];
    System.arraycopy(zlib, 2, dictionary, 6, zlib.length - 2); // DICTID 0 after the header
    zlibHeader(dictionary, 7, true);
    assertThatThrownBy(() -> Png.decodeLabelMap(withImageData(png, dictionary), "dict.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot decode PNG dict.png: image data needs a preset dictionary");
  }

  /**
   * The Adler-32 at the end of the zlib stream is not what decides: the chunk CRCs are. PIL stops
   * at the last scanline without reading it either, so a file whose Adler-32 alone is wrong
   * decodes, on both paths, to what PIL reads.
   */
  @Test
  void aWrongAdlerTrailerAloneDecodesAsPilReadsIt() {
    byte[] values = randomBytes(40 * 20, 12, 11);
    byte[] grey = Png.encodeGrey8(40, 20, values);
    byte[] zlib = imageData(grey);
    zlib[zlib.length - 1] ^= 0x5A;
    assertThat(Png.decodeLabelMap(withImageData(grey, zlib), "adler.png").bytes())
        .isEqualTo(values);
    byte[] rgb = randomBytes(16 * 9 * 3, 256, 12);
    byte[] rgbPng = Png.encodeRgb(16, 9, rgb);
    byte[] rgbZlib = imageData(rgbPng);
    rgbZlib[rgbZlib.length - 2] ^= 0x33;
    PackedRgb packed = Png.decodePackedRgb(withImageData(rgbPng, rgbZlib), "adler-rgb.png");
    assertThat(packed.pixels()).isEqualTo(Png.decodePackedRgb(rgbPng, "rgb.png").pixels());
  }

  private static int indexOf(byte[] png, String type) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 8; i + 4 <= png.length; i++) {
      if (png[i] == t[0] && png[i + 1] == t[1] && png[i + 2] == t[2] && png[i + 3] == t[3]) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " chunk");
  }

  /**
   * Adam7 as PIL reads it: every colour type and bit depth, sizes that leave some of the seven
   * passes empty, all five row filters in turn, IDAT split in small chunks. The test encoder is
   * checked against ImageIO's reader first, so the comparison does not rest on one reading of the
   * spec.
   */
  @ParameterizedTest(name = "{0}x{1} colour type {2}, {3}-bit")
  @CsvSource({
    "37, 23, 0, 8",
    "1, 1, 0, 8",
    "3, 2, 0, 8",
    "13, 11, 0, 16",
    "9, 17, 0, 1",
    "10, 7, 0, 2",
    "11, 5, 0, 4",
    "29, 19, 3, 8",
    "13, 9, 3, 4",
    "7, 12, 3, 2",
    "21, 6, 3, 1",
    "31, 17, 2, 8",
    "5, 9, 2, 16",
    "19, 13, 4, 8",
    "6, 10, 4, 16",
    "23, 15, 6, 8",
    "8, 8, 6, 16"
  })
  void adam7InterlacedDecodesToTheSourcePixels(int w, int h, int colorType, int depth)
      throws IOException {
    int channels = PngImage.channels(colorType);
    int[] samples = new int[w * h * channels];
    SplittableRandom rng = new SplittableRandom(31L * w + h + colorType * 7L + depth);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = rng.nextInt(1 << depth);
    }
    int[] palette = colorType == PngImage.PALETTE ? new int[1 << depth] : null;
    for (int i = 0; palette != null && i < palette.length; i++) {
      palette[i] = i * 0x010203 + 0x102030;
    }
    byte[] png = InterlacedPng.encode(w, h, colorType, depth, samples, palette);
    assertImageIoReads(png, w, h, channels, samples);

    PngImage decoded = Png.decode(png, "adam7.png");

    assertThat(decoded.width()).isEqualTo(w);
    assertThat(decoded.height()).isEqualTo(h);
    assertThat(decoded.colorType()).isEqualTo(colorType);
    int[] got = new int[samples.length];
    for (int i = 0; i < got.length; i++) {
      got[i] = depth == 16 ? decoded.shorts()[i] & 0xFFFF : decoded.bytes()[i] & 0xFF;
    }
    assertThat(got).isEqualTo(samples);
    if (channels == 1) {
      LabelMap map = Png.decodeLabelMap(png, "adam7.png");
      for (int i = 0; i < samples.length; i++) {
        assertThat(map.get(i)).isEqualTo(samples[i]);
      }
    }
  }

  private static void assertImageIoReads(byte[] png, int w, int h, int channels, int[] samples)
      throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < channels; c++) {
          assertThat(image.getRaster().getSample(x, y, c))
              .as("test encoder vs ImageIO at %d,%d channel %d", x, y, c)
              .isEqualTo(samples[(y * w + x) * channels + c]);
        }
      }
    }
  }

  @Test
  void adam7AsWrittenByImageIo() throws IOException {
    BufferedImage img = new BufferedImage(45, 27, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom rng = new SplittableRandom(8);
    for (int y = 0; y < 27; y++) {
      for (int x = 0; x < 45; x++) {
        img.setRGB(x, y, rng.nextInt(1 << 24));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] png = out.toByteArray();
    assertThat(png[28]).as("IHDR interlace method").isEqualTo((byte) 1);

    PngImage decoded = Png.decode(png, "imageio-adam7.png");

    for (int i = 0; i < 45 * 27; i++) {
      int rgb =
          ((decoded.bytes()[3 * i] & 255) << 16)
              | ((decoded.bytes()[3 * i + 1] & 255) << 8)
              | (decoded.bytes()[3 * i + 2] & 255);
      assertThat(rgb).isEqualTo(img.getRGB(i % 45, i / 45) & 0xFFFFFF);
    }
  }

  @Test
  void interlacedPngWithTruncatedDataNamesTheFile() {
    int[] samples = new int[40 * 30];
    Arrays.fill(samples, 7);
    byte[] png = InterlacedPng.encode(40, 30, PngImage.GREY, 8, samples, null);
    byte[] cut = Arrays.copyOf(png, png.length - 40);
    assertThatThrownBy(() -> Png.decode(cut, "cut-adam7.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut-adam7.png")
        .hasMessageContaining("truncated");
  }

  /**
   * The old decoder refused more than 2^31/8 pixels as "invalid size" whatever --max-pixels said.
   * 16400 x 16400 (269 million) 1-bit pixels: tiny file, 269 MB label map.
   */
  @Test
  void labelMapAboveTheOldHiddenLimitDecodes() {
    int w = 16400;
    int h = 16400;
    int stride = w / 8 + 1;
    byte[] raw = new byte[stride * h]; // filter 0, all zero
    raw[raw.length - 1] = 1; // the last pixel is 1
    byte[] png = InterlacedPng.container(w, h, PngImage.GREY, 1, 0, null, raw);
    assertThat(Png.header(png, "big.png")).containsExactly(w, h, PngImage.GREY, 1);

    LabelMap map = Png.decodeLabelMap(png, "big.png");

    assertThat((long) map.size()).isEqualTo((long) w * h).isGreaterThan(Integer.MAX_VALUE / 8);
    assertThat(map.get(map.size() - 1)).isEqualTo(1);
    assertThat(map.get(map.size() - 2)).isZero();
  }

  @Test
  void imageNoJavaArrayCanHoldIsRefusedWithTheReason() {
    // 50000 x 50000 grey: 2.5e9 samples; the header alone is enough to know
    byte[] png = InterlacedPng.container(50000, 50000, PngImage.GREY, 8, 0, null, new byte[1]);
    assertThatThrownBy(() -> Png.decode(png, "huge.png"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("huge.png")
        .hasMessageContaining("50000x50000 grey 8-bit needs 2500000000 array elements")
        .hasMessageContaining("more than one Java array holds (2147483639)")
        .hasMessageNotContaining("invalid size");
  }

  @Test
  void maxPixelsAboveWhatAnArrayHoldsIsBadUsage() {
    assertThat(PixelLimits.requireMaxPixels("evaluate", 3_000_000L, PixelLimits.IMAGE_PIXELS))
        .isEqualTo(3_000_000L);
    assertThat(
            PixelLimits.requireMaxPixels(
                "evaluate", Integer.MAX_VALUE - 8, PixelLimits.LABEL_MAP_PIXELS))
        .isEqualTo(Integer.MAX_VALUE - 8);
    assertThatThrownBy(
            () ->
                PixelLimits.requireMaxPixels(
                    "evaluate", Integer.MAX_VALUE - 7L, PixelLimits.LABEL_MAP_PIXELS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot evaluate: --max-pixels must be between 1 and 2147483639 (one Java array per"
                + " label map) (2147483640)");
    assertThatThrownBy(
            () -> PixelLimits.requireMaxPixels("label", 600_000_000L, PixelLimits.IMAGE_PIXELS))
        .hasMessageContaining("between 1 and 536870909")
        .hasMessageContaining("(600000000)");
    assertThatThrownBy(() -> PixelLimits.requireMaxPixels("label", 0, PixelLimits.IMAGE_PIXELS))
        .hasMessageContaining("(0)");
  }

  /** A PNG writer written from the spec for these tests (not Png's encoder). */
  static final class InterlacedPng {
    private static final int[][] PASSES = {
      {0, 0, 8, 8},
      {4, 0, 8, 8},
      {0, 4, 4, 8},
      {2, 0, 4, 4},
      {0, 2, 2, 4},
      {1, 0, 2, 2},
      {0, 1, 1, 2}
    };

    /** Adam7; {@code samples} are unsigned sample values, channels interleaved. */
    static byte[] encode(int w, int h, int colorType, int depth, int[] samples, int[] palette) {
      int channels = PngImage.channels(colorType);
      int bpp = Math.max(1, channels * depth / 8);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int scanlines = 0;
      for (int[] p : PASSES) {
        int pw = (w - p[0] + p[2] - 1) / p[2];
        int ph = (h - p[1] + p[3] - 1) / p[3];
        if (pw <= 0 || ph <= 0) {
          continue;
        }
        byte[] previous = new byte[(pw * channels * depth + 7) / 8];
        for (int j = 0; j < ph; j++) {
          byte[] line = new byte[previous.length];
          for (int i = 0; i < pw; i++) {
            int pixel = (p[1] + j * p[3]) * w + p[0] + i * p[2];
            for (int c = 0; c < channels; c++) {
              put(line, i * channels + c, depth, samples[pixel * channels + c]);
            }
          }
          int filter = scanlines++ % 5;
          raw.write(filter);
          raw.writeBytes(filter(filter, line, previous, bpp));
          previous = line;
        }
      }
      return container(w, h, colorType, depth, 1, palette, raw.toByteArray());
    }

    private static void put(byte[] line, int index, int depth, int value) {
      if (depth == 16) {
        line[2 * index] = (byte) (value >> 8);
        line[2 * index + 1] = (byte) value;
      } else if (depth == 8) {
        line[index] = (byte) value;
      } else {
        int bit = index * depth;
        line[bit / 8] |= (byte) (value << (8 - depth - bit % 8));
      }
    }

    private static byte[] filter(int type, byte[] line, byte[] up, int bpp) {
      byte[] out = new byte[line.length];
      for (int x = 0; x < line.length; x++) {
        int a = x >= bpp ? line[x - bpp] & 0xFF : 0;
        int b = up[x] & 0xFF;
        int c = x >= bpp ? up[x - bpp] & 0xFF : 0;
        int predictor =
            switch (type) {
              case 0 -> 0;
              case 1 -> a;
              case 2 -> b;
              case 3 -> (a + b) / 2;
              default -> paeth(a, b, c);
            };
        out[x] = (byte) (line[x] - predictor);
      }
      return out;
    }

    private static int paeth(int a, int b, int c) {
      int p = a + b - c;
      int pa = Math.abs(p - a);
      int pb = Math.abs(p - b);
      int pc = Math.abs(p - c);
      if (pa <= pb && pa <= pc) {
        return a;
      }
      return pb <= pc ? b : c;
    }

    /** Signature, IHDR, PLTE, the zlib stream of {@code raw} in 97-byte IDATs, IEND. */
    static byte[] container(
        int w, int h, int colorType, int depth, int interlace, int[] palette, byte[] raw) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      png.writeBytes(new byte[] {(byte) 137, 80, 78, 71, 13, 10, 26, 10});
      byte[] ihdr = new byte[13];
      putInt(ihdr, 0, w);
      putInt(ihdr, 4, h);
      ihdr[8] = (byte) depth;
      ihdr[9] = (byte) colorType;
      ihdr[12] = (byte) interlace;
      chunk(png, "IHDR", ihdr);
      if (palette != null) {
        byte[] plte = new byte[3 * palette.length];
        for (int i = 0; i < palette.length; i++) {
          plte[3 * i] = (byte) (palette[i] >> 16);
          plte[3 * i + 1] = (byte) (palette[i] >> 8);
          plte[3 * i + 2] = (byte) palette[i];
        }
        chunk(png, "PLTE", plte);
      }
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!deflater.finished()) {
        z.write(buf, 0, deflater.deflate(buf));
      }
      deflater.end();
      byte[] zlib = z.toByteArray();
      for (int at = 0; at < zlib.length; at += 97) {
        chunk(png, "IDAT", Arrays.copyOfRange(zlib, at, Math.min(zlib.length, at + 97)));
      }
      chunk(png, "IEND", new byte[0]);
      return png.toByteArray();
    }

    private static void putInt(byte[] b, int at, int v) {
      b[at] = (byte) (v >>> 24);
      b[at + 1] = (byte) (v >>> 16);
      b[at + 2] = (byte) (v >>> 8);
      b[at + 3] = (byte) v;
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
      byte[] header = new byte[8];
      putInt(header, 0, data.length);
      byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, header, 4, 4);
      png.writeBytes(header);
      png.writeBytes(data);
      CRC32 crc = new CRC32();
      crc.update(name);
      crc.update(data);
      byte[] sum = new byte[4];
      putInt(sum, 0, (int) crc.getValue());
      png.writeBytes(sum);
    }
  }
}

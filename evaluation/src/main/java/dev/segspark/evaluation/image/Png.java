package dev.segspark.evaluation.image;

import dev.segspark.evaluation.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * PNG decoding and encoding without AWT. Decodes every non-interlaced PNG (grey, RGB, palette, with
 * or without alpha, 1 to 16 bits); label maps come back as flat primitive arrays in one pass over
 * the inflated data. Every failure is an {@link InvalidInputException} naming the file.
 */
public final class Png {
  private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

  private Png() {}

  /**
   * Decodes a single-channel label map: grey 8/16-bit or palette (the palette index is the label,
   * as in PASCAL VOC annotations). RGB and alpha images are rejected with a clear message.
   */
  public static LabelMap decodeLabelMap(byte[] data, String source) {
    PngImage image = decode(data, source);
    if (image.colorType() != PngImage.GREY && image.colorType() != PngImage.PALETTE) {
      throw new InvalidInputException(
          source,
          "Cannot read label map "
              + source
              + ": it is a "
              + image.describe()
              + " image; expected a single-channel label map (grey or palette PNG)");
    }
    return image.bytes() != null
        ? LabelMap.of8(image.width(), image.height(), image.bytes())
        : LabelMap.of16(image.width(), image.height(), image.shorts());
  }

  /** Decodes any non-interlaced PNG. */
  public static PngImage decode(byte[] data, String source) {
    try {
      return new Decoder(data, source).decode();
    } catch (DataFormatException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      throw new InvalidInputException(
          source, "Cannot decode PNG " + source + ": corrupt data (" + e.getMessage() + ")", e);
    }
  }

  /** Reads only the header: {@code {width, height, colorType, bitDepth}}. */
  public static int[] header(byte[] data, String source) {
    Decoder decoder = new Decoder(data, source);
    decoder.readHeader();
    return new int[] {decoder.width, decoder.height, decoder.colorType, decoder.bitDepth};
  }

  /** Encodes an 8-bit grey image (label map). */
  public static byte[] encodeGrey8(int width, int height, byte[] values) {
    return encode(width, height, PngImage.GREY, 8, values, null, Deflater.BEST_SPEED);
  }

  /** Encodes a 16-bit grey image (e.g. instance ids). */
  public static byte[] encodeGrey16(int width, int height, short[] values) {
    byte[] bytes = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      bytes[2 * i] = (byte) (values[i] >> 8);
      bytes[2 * i + 1] = (byte) values[i];
    }
    return encode(width, height, PngImage.GREY, 16, bytes, null, Deflater.BEST_SPEED);
  }

  /** Encodes an 8-bit RGB image, samples interleaved R, G, B. */
  public static byte[] encodeRgb(int width, int height, byte[] rgb) {
    return encode(width, height, PngImage.RGB, 8, rgb, null, Deflater.BEST_SPEED);
  }

  /** Encodes an 8-bit palette image; {@code palette} holds {@code 0xRRGGBB} entries. */
  public static byte[] encodePalette(int width, int height, byte[] indices, int[] palette) {
    return encode(width, height, PngImage.PALETTE, 8, indices, palette, Deflater.BEST_SPEED);
  }

  private static byte[] encode(
      int width,
      int height,
      int colorType,
      int bitDepth,
      byte[] samples,
      int[] palette,
      int level) {
    int bpp = PngImage.channels(colorType) * bitDepth / 8;
    int stride = width * bpp;
    if (samples.length != stride * height) {
      throw new IllegalArgumentException(
          "Cannot encode PNG: " + samples.length + " bytes for " + width + "x" + height);
    }
    // Sub filtering helps smooth RGB frames; label maps compress best unfiltered.
    byte filter = (byte) (colorType == PngImage.RGB ? 1 : 0);
    byte[] raw = new byte[(stride + 1) * height];
    for (int y = 0; y < height; y++) {
      int in = y * stride;
      int out = y * (stride + 1);
      raw[out] = filter;
      if (filter == 0) {
        System.arraycopy(samples, in, raw, out + 1, stride);
      } else {
        for (int x = 0; x < stride; x++) {
          int left = x >= bpp ? samples[in + x - bpp] : 0;
          raw[out + 1 + x] = (byte) (samples[in + x] - left);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 1024);
    out.writeBytes(SIGNATURE);
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType);
    ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    if (palette != null) {
      byte[] plte = new byte[palette.length * 3];
      for (int i = 0; i < palette.length; i++) {
        plte[3 * i] = (byte) (palette[i] >> 16);
        plte[3 * i + 1] = (byte) (palette[i] >> 8);
        plte[3 * i + 2] = (byte) palette[i];
      }
      chunk(out, "PLTE", plte);
    }
    chunk(out, "IDAT", deflate(raw, level));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] raw, int level) {
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
      byte[] buf = new byte[1 << 16];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** One decode: parses chunks, inflates IDAT, reverses the row filters. */
  private static final class Decoder {
    private final byte[] data;
    private final String source;
    private int pos;
    private int width;
    private int height;
    private int bitDepth;
    private int colorType;

    Decoder(byte[] data, String source) {
      this.data = data;
      this.source = source;
    }

    void readHeader() {
      if (data.length < 33 || !startsWithSignature()) {
        throw fail("not a PNG file (bad signature)");
      }
      pos = 8;
      if (readInt() != 13 || !"IHDR".equals(type(pos))) {
        throw fail("first chunk is not IHDR");
      }
      pos += 4;
      width = readInt();
      height = readInt();
      bitDepth = data[pos++] & 0xFF;
      colorType = data[pos++] & 0xFF;
      int compression = data[pos++];
      int filter = data[pos++];
      int interlace = data[pos++];
      pos += 4; // CRC
      validateHeader(compression, filter, interlace);
    }

    private void validateHeader(int compression, int filter, int interlace) {
      if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE / 8) {
        throw fail("invalid size " + width + "x" + height);
      }
      if (colorType > 6 || colorType == 1 || colorType == 5) {
        throw fail("invalid colour type " + colorType);
      }
      boolean lowDepth = colorType == PngImage.GREY || colorType == PngImage.PALETTE;
      boolean depthOk =
          bitDepth == 8
              || (bitDepth == 16 && colorType != PngImage.PALETTE)
              || (lowDepth && (bitDepth == 1 || bitDepth == 2 || bitDepth == 4));
      if (!depthOk || compression != 0 || filter != 0) {
        throw fail("unsupported bit depth " + bitDepth + " for colour type " + colorType);
      }
      if (interlace != 0) {
        throw fail("interlaced (Adam7) PNGs are not supported; re-save without interlacing");
      }
    }

    PngImage decode() throws DataFormatException {
      readHeader();
      byte[] idat = collectIdat();
      int channels = PngImage.channels(colorType);
      int bitsPerPixel = channels * bitDepth;
      int bpp = Math.max(1, bitsPerPixel / 8);
      int stride = (width * bitsPerPixel + 7) / 8;
      byte[] filtered = inflate(idat, (stride + 1) * height);
      byte[] raw = unfilter(filtered, stride, bpp);
      if (bitDepth == 16) {
        short[] shorts = new short[width * height * channels];
        for (int i = 0; i < shorts.length; i++) {
          shorts[i] = (short) (((raw[2 * i] & 0xFF) << 8) | (raw[2 * i + 1] & 0xFF));
        }
        return new PngImage(width, height, colorType, 16, null, shorts);
      }
      byte[] bytes = bitDepth == 8 ? raw : widen(raw, stride);
      return new PngImage(width, height, colorType, 8, bytes, null);
    }

    private byte[] collectIdat() {
      ByteArrayOutputStream idat = new ByteArrayOutputStream(data.length);
      boolean seenEnd = false;
      while (pos + 8 <= data.length) {
        int length = readInt();
        String type = type(pos);
        pos += 4;
        if (length < 0 || pos + length + 4 > data.length) {
          throw fail("truncated file (chunk " + type + " runs past the end)");
        }
        if (type.equals("IDAT")) {
          idat.write(data, pos, length);
        } else if (type.equals("IEND")) {
          seenEnd = true;
        }
        pos += length + 4;
        if (seenEnd) {
          break;
        }
      }
      if (idat.size() == 0) {
        throw fail("truncated file (no image data)");
      }
      return idat.toByteArray();
    }

    private byte[] inflate(byte[] idat, int expected) throws DataFormatException {
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(idat);
        byte[] out = new byte[expected];
        int n = 0;
        while (n < expected) {
          int got = inflater.inflate(out, n, expected - n);
          if (got == 0 && (inflater.needsInput() || inflater.finished())) {
            throw fail("truncated image data (" + n + " of " + expected + " bytes)");
          }
          n += got;
        }
        return out;
      } finally {
        inflater.end();
      }
    }

    private byte[] unfilter(byte[] in, int stride, int bpp) {
      byte[] out = new byte[stride * height];
      for (int y = 0; y < height; y++) {
        int src = y * (stride + 1);
        int dst = y * stride;
        int filter = in[src++];
        switch (filter) {
          case 0 -> System.arraycopy(in, src, out, dst, stride);
          case 1 -> sub(in, src, out, dst, stride, bpp);
          case 2 -> up(in, src, out, dst, stride, y);
          case 3 -> average(in, src, out, dst, stride, bpp, y);
          case 4 -> paeth(in, src, out, dst, stride, bpp, y);
          default -> throw fail("invalid row filter " + filter + " at row " + y);
        }
      }
      return out;
    }

    private static void sub(byte[] in, int src, byte[] out, int dst, int n, int bpp) {
      for (int x = 0; x < n; x++) {
        int left = x >= bpp ? out[dst + x - bpp] : 0;
        out[dst + x] = (byte) (in[src + x] + left);
      }
    }

    private static void up(byte[] in, int src, byte[] out, int dst, int n, int y) {
      if (y == 0) {
        System.arraycopy(in, src, out, dst, n);
        return;
      }
      for (int x = 0; x < n; x++) {
        out[dst + x] = (byte) (in[src + x] + out[dst - n + x]);
      }
    }

    private static void average(byte[] in, int src, byte[] out, int dst, int n, int bpp, int y) {
      for (int x = 0; x < n; x++) {
        int left = x >= bpp ? out[dst + x - bpp] & 0xFF : 0;
        int up = y > 0 ? out[dst - n + x] & 0xFF : 0;
        out[dst + x] = (byte) (in[src + x] + ((left + up) >>> 1));
      }
    }

    private static void paeth(byte[] in, int src, byte[] out, int dst, int n, int bpp, int y) {
      for (int x = 0; x < n; x++) {
        int a = x >= bpp ? out[dst + x - bpp] & 0xFF : 0;
        int b = y > 0 ? out[dst - n + x] & 0xFF : 0;
        int c = x >= bpp && y > 0 ? out[dst - n + x - bpp] & 0xFF : 0;
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        out[dst + x] = (byte) (in[src + x] + pred);
      }
    }

    /** Widens 1/2/4-bit samples to one byte each (values unscaled: they are labels). */
    private byte[] widen(byte[] packed, int stride) {
      byte[] out = new byte[width * height];
      int perByte = 8 / bitDepth;
      int mask = (1 << bitDepth) - 1;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int b = packed[y * stride + x / perByte] & 0xFF;
          int shift = 8 - bitDepth * (x % perByte + 1);
          out[y * width + x] = (byte) ((b >> shift) & mask);
        }
      }
      return out;
    }

    private boolean startsWithSignature() {
      for (int i = 0; i < SIGNATURE.length; i++) {
        if (data[i] != SIGNATURE[i]) {
          return false;
        }
      }
      return true;
    }

    private int readInt() {
      int v =
          ((data[pos] & 0xFF) << 24)
              | ((data[pos + 1] & 0xFF) << 16)
              | ((data[pos + 2] & 0xFF) << 8)
              | (data[pos + 3] & 0xFF);
      pos += 4;
      return v;
    }

    private String type(int at) {
      return new String(data, at, 4, StandardCharsets.US_ASCII);
    }

    private InvalidInputException fail(String reason) {
      return new InvalidInputException(source, "Cannot decode PNG " + source + ": " + reason);
    }
  }
}

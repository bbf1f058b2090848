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
 * PNG decoding and encoding without AWT. Decodes every PNG (grey, RGB, palette, with or without
 * alpha, 1 to 16 bits, sequential or Adam7-interlaced); label maps come back as flat primitive
 * arrays, decoded one scanline at a time. Every failure is an {@link InvalidInputException} naming
 * the file.
 */
public final class Png {
  private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

  private Png() {}

  /**
   * Decodes a single-channel label map: grey 8/16-bit or palette (the palette index is the label,
   * as in PASCAL VOC annotations). RGB and alpha images are rejected with a clear message.
   */
  public static LabelMap decodeLabelMap(byte[] data, String source) {
    return decodeLabelMap(data, source, null);
  }

  /**
   * As {@link #decodeLabelMap(byte[], String)}, decoding into the array of {@code spare} when it
   * has the image's size and depth (its values are overwritten; the result is then backed by the
   * same array): a loop over many images of one size reuses two arrays instead of allocating
   * megabytes per image.
   *
   * @param spare a map the caller no longer reads, or {@code null}
   */
  public static LabelMap decodeLabelMap(byte[] data, String source, LabelMap spare) {
    int[] header = header(data, source);
    if (header[2] != PngImage.GREY && header[2] != PngImage.PALETTE) {
      // from the header: an RGB image is rejected before its pixels are inflated
      throw new InvalidInputException(
          source,
          "Cannot read label map "
              + source
              + ": it is a "
              + PngImage.describe(header[2], Math.max(8, header[3]))
              + " image; expected a single-channel label map (grey or palette PNG)");
    }
    boolean fits = spare != null && spare.width() == header[0] && spare.height() == header[1];
    byte[] bytes = fits && header[3] <= 8 ? spare.bytes() : null;
    short[] shorts = fits && header[3] == 16 ? spare.shorts() : null;
    PngImage image = decode(data, source, bytes, shorts);
    return image.bytes() != null
        ? LabelMap.of8(image.width(), image.height(), image.bytes())
        : LabelMap.of16(image.width(), image.height(), image.shorts());
  }

  /** Decodes any PNG, interlaced or not; samples of 1, 2 or 4 bits are widened to 8. */
  public static PngImage decode(byte[] data, String source) {
    return decode(data, source, null, null);
  }

  private static PngImage decode(byte[] data, String source, byte[] bytes, short[] shorts) {
    try {
      return new Decoder(data, source).decode(bytes, shorts);
    } catch (DataFormatException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      throw new InvalidInputException(
          source, "Cannot decode PNG " + source + ": corrupt data (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Decodes an 8-bit RGB or RGBA PNG into one packed int per pixel, {@code R | G << 8 | B << 16}
   * (alpha dropped): a COCO panoptic segment id. Sequential RGB, what panoptic PNGs are, is
   * reconstructed straight into the ints, a pixel at a time, with no byte image in between;
   * interlaced and RGBA images take {@link #decode} and are packed after.
   *
   * @throws InvalidInputException when the file is not a PNG, is corrupt, or is not 8-bit RGB or
   *     RGBA (the message names the file)
   */
  public static PackedRgb decodePackedRgb(byte[] data, String source) {
    return decodePackedRgb(data, source, null);
  }

  /**
   * As {@link #decodePackedRgb(byte[], String)}, writing the pixels into {@code reuse} when it has
   * exactly {@code width * height} elements (a caller decoding many images of one size saves an
   * allocation per image), else into a new array.
   */
  public static PackedRgb decodePackedRgb(byte[] data, String source, int[] reuse) {
    try {
      return new Decoder(data, source).decodePacked(reuse);
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

  /**
   * One decode: parses chunks, then inflates IDAT one scanline at a time, reverses its row filter
   * and scatters its pixels into the output array. Only the output and two scanlines are held, so
   * the largest image is bounded by the output array ({@link PixelLimits}), not by the inflated
   * size.
   */
  private static final class Decoder {
    /** Adam7 passes: {x0, y0, dx, dy}. */
    private static final int[][] ADAM7 = {
      {0, 0, 8, 8},
      {4, 0, 8, 8},
      {0, 4, 4, 8},
      {2, 0, 4, 4},
      {0, 2, 2, 4},
      {1, 0, 2, 2},
      {0, 1, 1, 2}
    };

    private static final int[][] SEQUENTIAL = {{0, 0, 1, 1}};

    /** Inflated bytes held at once: whole scanlines up to this size (at least one). */
    private static final long BLOCK_BYTES = 64 * 1024;

    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    private static final int MAX_SCRATCH = 64 << 20;

    private final byte[] data;
    private final String source;
    private int pos;
    private int width;
    private int height;
    private int bitDepth;
    private int colorType;
    private boolean interlaced;

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
      checkCrc(12, 13);
      pos += 4;
      validateHeader(compression, filter, interlace);
    }

    private void validateHeader(int compression, int filter, int interlace) {
      if (width <= 0 || height <= 0) {
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
      if (interlace != 0 && interlace != 1) {
        throw fail("invalid interlace method " + interlace);
      }
      interlaced = interlace == 1;
    }

    /** Both the output and one scanline must each fit one Java array. */
    private void requireArraySizes() {
      int channels = PngImage.channels(colorType);
      long samples = (long) width * height * channels;
      long scanline = ((long) width * channels * bitDepth + 7) / 8 + 1;
      if (samples > PixelLimits.MAX_ARRAY || scanline > PixelLimits.MAX_ARRAY) {
        throw fail(
            width
                + "x"
                + height
                + " "
                + PngImage.describe(colorType, bitDepth)
                + " needs "
                + Math.max(samples, scanline)
                + " array elements, more than one Java array holds ("
                + PixelLimits.MAX_ARRAY
                + ")");
      }
    }

    /** Decodes into {@code spareBytes} / {@code spareShorts} where they have the right size. */
    PngImage decode(byte[] spareBytes, short[] spareShorts) throws DataFormatException {
      readHeader();
      requireArraySizes();
      byte[] idat = collectIdat();
      int samples = width * height * PngImage.channels(colorType);
      byte[] bytes =
          bitDepth == 16
              ? null
              : spareBytes != null && spareBytes.length == samples ? spareBytes : new byte[samples];
      short[] shorts =
          bitDepth != 16
              ? null
              : spareShorts != null && spareShorts.length == samples
                  ? spareShorts
                  : new short[samples];
      Inflater inflater = inflaterFor(idat);
      try {
        for (int[] pass : interlaced ? ADAM7 : SEQUENTIAL) {
          decodePass(inflater, pass, bytes, shorts);
        }
      } finally {
        inflater.end();
      }
      return new PngImage(width, height, colorType, bitDepth == 16 ? 16 : 8, bytes, shorts);
    }

    PackedRgb decodePacked(int[] reuse) throws DataFormatException {
      readHeader();
      if (bitDepth != 8 || (colorType != PngImage.RGB && colorType != PngImage.RGBA)) {
        throw fail(
            "it is a "
                + PngImage.describe(colorType, Math.max(8, bitDepth))
                + " image; expected 8-bit RGB or RGBA");
      }
      if (interlaced || colorType == PngImage.RGBA) {
        return PackedRgb.of(decode(null, null));
      }
      requireArraySizes();
      byte[] idat = collectIdat();
      int[] out = reuse != null && reuse.length == width * height ? reuse : new int[width * height];
      int stride = width * 3 + 1;
      long inflated = (long) stride * height;
      if (inflated <= PixelLimits.MAX_ARRAY) {
        byte[] raw = scratch((int) inflated);
        if (ZlibInflate.inflate(idat, raw)) {
          for (int y = 0; y < height; y++) {
            unfilterRow(raw, y * stride, out, y);
          }
          return new PackedRgb(width, height, out);
        }
      }
      // too large for one array, or a stream the Java inflater does not vouch for: zlib decides
      byte[] filtered = new byte[stride];
      Inflater inflater = inflaterFor(idat);
      try {
        for (int y = 0; y < height; y++) {
          inflateFully(inflater, filtered, filtered.length);
          unfilterRow(filtered, 0, out, y);
        }
      } finally {
        inflater.end();
      }
      return new PackedRgb(width, height, out);
    }

    /** The inflated scanlines of one image: a buffer per thread, kept for the next image. */
    private static byte[] scratch(int size) {
      byte[] buffer = SCRATCH.get();
      if (buffer != null && buffer.length == size) {
        return buffer;
      }
      buffer = new byte[size];
      SCRATCH.set(size <= MAX_SCRATCH ? buffer : null);
      return buffer;
    }

    private void unfilterRow(byte[] in, int at, int[] out, int y) {
      if (!RgbRows.unfilter(in, at, out, y, width)) {
        throw fail("invalid row filter " + in[at] + " at row " + y);
      }
    }

    /** Decodes the sub-image of one pass (the whole image when not interlaced). */
    private void decodePass(Inflater inflater, int[] pass, byte[] bytes, short[] shorts)
        throws DataFormatException {
      int x0 = pass[0];
      int y0 = pass[1];
      int dx = pass[2];
      int dy = pass[3];
      int passWidth = (width - x0 + dx - 1) / dx;
      int passHeight = (height - y0 + dy - 1) / dy;
      if (passWidth <= 0 || passHeight <= 0) {
        return; // an empty pass has no scanlines, not even filter bytes
      }
      int channels = PngImage.channels(colorType);
      int bitsPerPixel = channels * bitDepth;
      int bpp = Math.max(1, bitsPerPixel / 8);
      int stride = (int) (((long) passWidth * bitsPerPixel + 7) / 8);
      // the filtered scanline (filter type first), then the reconstructed one and its predecessor,
      // which starts as zeros as the spec says
      byte[] filtered = new byte[stride + 1];
      byte[] line = new byte[stride];
      byte[] previous = new byte[stride];
      // scanlines are inflated a block at a time: one inflate call per scanline costs more in
      // calls into zlib than the inflating itself for short, well-compressed label-map rows
      int rowsPerBlock = (int) Math.max(1, Math.min(passHeight, BLOCK_BYTES / (stride + 1L)));
      byte[] block = rowsPerBlock == 1 ? filtered : new byte[rowsPerBlock * (stride + 1)];
      int inBlock = 0;
      int nextInBlock = 0;
      for (int r = 0; r < passHeight; r++) {
        if (nextInBlock == inBlock) {
          inBlock = Math.min(rowsPerBlock, passHeight - r);
          inflateFully(inflater, block, inBlock * (stride + 1));
          nextInBlock = 0;
        }
        if (block != filtered) {
          System.arraycopy(block, nextInBlock * (stride + 1), filtered, 0, stride + 1);
        }
        nextInBlock++;
        int y = y0 + r * dy;
        unfilter(filtered, line, previous, bpp, y);
        if (bytes != null) {
          scatter8(line, bytes, y, x0, dx, passWidth, channels);
        } else {
          scatter16(line, shorts, y, x0, dx, passWidth, channels);
        }
        byte[] swap = previous;
        previous = line;
        line = swap;
      }
    }

    private void inflateFully(Inflater inflater, byte[] out, int length)
        throws DataFormatException {
      int n = 0;
      while (n < length) {
        int got = inflater.inflate(out, n, length - n);
        if (got == 0 && inflater.needsDictionary()) {
          throw fail("image data needs a preset dictionary");
        }
        if (got == 0 && (inflater.needsInput() || inflater.finished())) {
          throw fail("truncated image data (" + inflater.getBytesWritten() + " bytes inflated)");
        }
        n += got;
      }
    }

    /** Copies one reconstructed scanline into the output, widening 1/2/4-bit samples. */
    private void scatter8(
        byte[] line, byte[] out, int y, int x0, int dx, int passWidth, int channels) {
      long rowStart = (long) y * width;
      if (bitDepth == 8 && dx == 1) {
        System.arraycopy(line, 0, out, (int) (rowStart * channels), passWidth * channels);
        return;
      }
      if (bitDepth == 8) {
        for (int i = 0; i < passWidth; i++) {
          int to = (int) ((rowStart + x0 + (long) i * dx) * channels);
          System.arraycopy(line, i * channels, out, to, channels);
        }
        return;
      }
      // low bit depths are grey or palette: one sample per pixel, values unscaled (labels)
      int perByte = 8 / bitDepth;
      int mask = (1 << bitDepth) - 1;
      for (int i = 0; i < passWidth; i++) {
        int b = line[i / perByte] & 0xFF;
        int shift = 8 - bitDepth * (i % perByte + 1);
        out[(int) (rowStart + x0 + (long) i * dx)] = (byte) ((b >> shift) & mask);
      }
    }

    private void scatter16(
        byte[] line, short[] out, int y, int x0, int dx, int passWidth, int channels) {
      long rowStart = (long) y * width;
      for (int i = 0; i < passWidth; i++) {
        int to = (int) ((rowStart + x0 + (long) i * dx) * channels);
        for (int c = 0; c < channels; c++) {
          int from = 2 * (i * channels + c);
          out[to + c] = (short) (((line[from] & 0xFF) << 8) | (line[from + 1] & 0xFF));
        }
      }
    }

    /**
     * The concatenated IDAT data, after checking each critical chunk's CRC (as libpng does: a
     * corrupt byte anywhere in the image data is an error, not a silently different label map).
     */
    private byte[] collectIdat() {
      int first = pos;
      long total = 0;
      boolean seenEnd = false;
      while (pos + 8 <= data.length) {
        int length = readInt();
        String type = type(pos);
        if (length < 0 || (long) pos + 4 + length + 4 > data.length) {
          throw fail("truncated file (chunk " + type + " runs past the end)");
        }
        if (Character.isUpperCase(type.charAt(0))) { // critical: IDAT, PLTE, IEND
          checkCrc(pos, length);
        }
        pos += 4;
        if (type.equals("IDAT")) {
          total += length;
        } else if (type.equals("IEND")) {
          seenEnd = true;
        }
        pos += length + 4;
        if (seenEnd) {
          break;
        }
      }
      if (total == 0) {
        throw fail("truncated file (no image data)");
      }
      if (total > PixelLimits.MAX_ARRAY) {
        throw fail("image data of " + total + " bytes, more than one Java array holds");
      }
      byte[] idat = new byte[(int) total];
      int at = 0;
      for (int p = first; at < total; ) {
        int length = intAt(p);
        if (type(p + 4).equals("IDAT")) {
          System.arraycopy(data, p + 8, idat, at, length);
          at += length;
        }
        p += 12 + length;
      }
      return idat;
    }

    /** Fails unless the CRC after the chunk type at {@code at} and its data matches both. */
    private void checkCrc(int at, int length) {
      CRC32 crc = new CRC32();
      crc.update(data, at, 4 + length);
      if ((int) crc.getValue() != intAt(at + 4 + length)) {
        throw fail(
            "CRC mismatch in chunk " + type(at) + " at byte " + (at - 4) + " (corrupt file)");
      }
    }

    /**
     * An inflater positioned at the start of the image data. A stream with the usual 32 KiB window
     * and no preset dictionary (what libpng and zlib write for all but tiny images) is inflated
     * raw, after its two header bytes: zlib then skips its Adler-32 of the inflated bytes, half the
     * cost of inflating a label map, and the chunk CRCs already vouch for every byte. Anything else
     * goes to zlib whole, which gives its own verdict.
     */
    private static Inflater inflaterFor(byte[] idat) {
      if (idat.length > 2) {
        int cmf = idat[0] & 0xFF;
        int flg = idat[1] & 0xFF;
        if (cmf == 0x78 && (cmf << 8 | flg) % 31 == 0 && (flg & 0x20) == 0) {
          Inflater raw = new Inflater(true);
          raw.setInput(idat, 2, idat.length - 2);
          return raw;
        }
      }
      Inflater zlib = new Inflater();
      zlib.setInput(idat);
      return zlib;
    }

    /** Reconstructs {@code line} from {@code filtered}, whose first byte is the filter type. */
    private void unfilter(byte[] filtered, byte[] line, byte[] previous, int bpp, int y) {
      int filter = filtered[0];
      switch (filter) {
        case 0 -> System.arraycopy(filtered, 1, line, 0, line.length);
        case 1 -> sub(filtered, line, bpp);
        case 2 -> up(filtered, line, previous);
        case 3 -> average(filtered, line, previous, bpp);
        case 4 -> paeth(filtered, line, previous, bpp);
        default -> throw fail("invalid row filter " + filter + " at row " + y);
      }
    }

    private static void sub(byte[] in, byte[] out, int bpp) {
      int n = out.length;
      int head = Math.min(bpp, n);
      System.arraycopy(in, 1, out, 0, head);
      for (int x = head; x < n; x++) {
        out[x] = (byte) (in[x + 1] + out[x - bpp]);
      }
    }

    private static void up(byte[] in, byte[] out, byte[] previous) {
      for (int x = 0; x < out.length; x++) {
        out[x] = (byte) (in[x + 1] + previous[x]);
      }
    }

    private static void average(byte[] in, byte[] out, byte[] previous, int bpp) {
      int n = out.length;
      int head = Math.min(bpp, n);
      for (int x = 0; x < head; x++) {
        out[x] = (byte) (in[x + 1] + ((previous[x] & 0xFF) >>> 1));
      }
      for (int x = head; x < n; x++) {
        out[x] = (byte) (in[x + 1] + (((out[x - bpp] & 0xFF) + (previous[x] & 0xFF)) >>> 1));
      }
    }

    private static void paeth(byte[] in, byte[] out, byte[] previous, int bpp) {
      int n = out.length;
      int head = Math.min(bpp, n);
      for (int x = 0; x < head; x++) {
        out[x] = (byte) (in[x + 1] + previous[x]); // a = c = 0: the predictor is b
      }
      for (int x = head; x < n; x++) {
        int a = out[x - bpp] & 0xFF;
        int b = previous[x] & 0xFF;
        int c = previous[x - bpp] & 0xFF;
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        out[x] = (byte) (in[x + 1] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
      }
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
      int v = intAt(pos);
      pos += 4;
      return v;
    }

    private int intAt(int at) {
      return ((data[at] & 0xFF) << 24)
          | ((data[at + 1] & 0xFF) << 16)
          | ((data[at + 2] & 0xFF) << 8)
          | (data[at + 3] & 0xFF);
    }

    private String type(int at) {
      return new String(data, at, 4, StandardCharsets.US_ASCII);
    }

    private InvalidInputException fail(String reason) {
      return new InvalidInputException(source, "Cannot decode PNG " + source + ": " + reason);
    }
  }
}

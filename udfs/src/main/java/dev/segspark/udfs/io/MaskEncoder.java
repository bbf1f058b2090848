package dev.segspark.udfs.io;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.metrics.PredictionIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns a model's label map (output indices) into mask files: {@code ids} (the dataset's label ids
 * as a grey PNG, what cityscapesScripts and {@code segspark evaluate --predictions} read), {@code
 * color} (palette PNG in the dataset's colours) and {@code overlay} (the image blended with the
 * colours, JPEG).
 */
public final class MaskEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] indexToId;
  private final int voidId;
  private final int[] palette = new int[256];
  private final boolean wide;

  /**
   * @param table the dataset's label table
   * @param outputIds what output index k means
   * @param classes number of output classes K
   */
  public MaskEncoder(LabelTable table, PredictionIds outputIds, int classes) {
    indexToId = new int[classes];
    int maxId = 0;
    for (int k = 0; k < classes; k++) {
      Label label = outputIds == PredictionIds.TRAIN_IDS ? table.byTrainId(k) : table.byId(k);
      indexToId[k] = label == null ? k : label.id();
      maxId = Math.max(maxId, indexToId[k]);
    }
    int v = 255;
    for (Label label : table.labels()) {
      if (label.id() >= 0 && label.trainId() == table.ignoreIndex() && label.id() < v) {
        v = label.id();
      }
      if (label.id() >= 0 && label.id() < 256) {
        palette[label.id()] = label.rgb();
      }
    }
    voidId = v;
    wide = Math.max(maxId, voidId) > 255;
  }

  /** Dataset label ids per pixel; pixels without a class get the table's void id. */
  public LabelMap ids(LabelMap labels) {
    int n = labels.size();
    if (wide) {
      short[] out = new short[n];
      for (int i = 0; i < n; i++) {
        out[i] = (short) idOf(labels.get(i));
      }
      return LabelMap.of16(labels.width(), labels.height(), out);
    }
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) idOf(labels.get(i));
    }
    return LabelMap.of8(labels.width(), labels.height(), out);
  }

  private int idOf(int index) {
    return index < indexToId.length ? indexToId[index] : voidId;
  }

  /** Pixels per output index; the last bucket counts pixels without a class. */
  public long[] histogram(LabelMap labels) {
    long[] h = new long[indexToId.length + 1];
    for (int i = 0; i < labels.size(); i++) {
      h[Math.min(labels.get(i), indexToId.length)]++;
    }
    return h;
  }

  /** The {@code ids} PNG. */
  public byte[] idsPng(LabelMap ids) {
    return ids.is8Bit()
        ? Png.encodeGrey8(ids.width(), ids.height(), ids.bytes())
        : Png.encodeGrey16(ids.width(), ids.height(), ids.shorts());
  }

  /** The {@code color} PNG (palette of the dataset colours). */
  public byte[] colorPng(LabelMap ids) {
    if (ids.is8Bit()) {
      return Png.encodePalette(ids.width(), ids.height(), ids.bytes(), palette);
    }
    return Png.encodeRgb(ids.width(), ids.height(), colours(ids));
  }

  /** The {@code overlay} JPEG: half image, half class colour. */
  public byte[] overlayJpeg(DecodedImage image, LabelMap ids) {
    byte[] colour = colours(ids);
    byte[] rgb = image.rgb();
    java.awt.image.BufferedImage out =
        new java.awt.image.BufferedImage(
            image.width(), image.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
    int[] px = new int[image.width() * image.height()];
    for (int i = 0; i < px.length; i++) {
      int r = ((rgb[3 * i] & 255) + (colour[3 * i] & 255)) / 2;
      int g = ((rgb[3 * i + 1] & 255) + (colour[3 * i + 1] & 255)) / 2;
      int b = ((rgb[3 * i + 2] & 255) + (colour[3 * i + 2] & 255)) / 2;
      px[i] = (r << 16) | (g << 8) | b;
    }
    out.setRGB(0, 0, image.width(), image.height(), px, 0, image.width());
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.write(null, new IIOImage(out, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private byte[] colours(LabelMap ids) {
    byte[] out = new byte[3 * ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      int id = ids.get(i);
      int rgb = id < 256 ? palette[id] : 0;
      out[3 * i] = (byte) (rgb >> 16);
      out[3 * i + 1] = (byte) (rgb >> 8);
      out[3 * i + 2] = (byte) rgb;
    }
    return out;
  }

  /** The dataset label id of output index {@code k}. */
  public int idOfIndex(int k) {
    return indexToId[k];
  }
}

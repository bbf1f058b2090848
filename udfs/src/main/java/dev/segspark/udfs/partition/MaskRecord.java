package dev.segspark.udfs.partition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One image's labelling record, {@code OUT/_segspark/<relative path without extension>.json} (see
 * {@link LabelLayout#record}), written after the image's masks: it vouches for them (which settings
 * wrote them) and keeps what the manifest row needs, so {@code --resume} rebuilds the row whole
 * without predicting again.
 *
 * @param writer fingerprint of the settings that wrote the masks (the folder's {@code
 *     _segspark.json})
 * @param width image width
 * @param height image height
 * @param confidence mean top-class probability, {@code null} if the model gives none
 * @param histogram pixels per model class (index = output index, last = no class)
 */
public record MaskRecord(
    String writer, int width, int height, Double confidence, long[] histogram) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The record as JSON. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("writer", writer);
    node.put("width", width);
    node.put("height", height);
    node.put("meanConfidence", confidence);
    ArrayNode bins = node.putArray("histogram");
    for (long n : histogram) {
      bins.add(n);
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a record.
   *
   * @return the record, or {@code null} if the file is absent or is not a whole record (then the
   *     image's masks are not vouched for and the image is predicted again)
   */
  public static MaskRecord read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      JsonNode bins = node.path("histogram");
      if (!node.path("writer").isTextual() || !bins.isArray() || !node.path("width").isInt()) {
        return null;
      }
      long[] histogram = new long[bins.size()];
      for (int i = 0; i < histogram.length; i++) {
        histogram[i] = bins.get(i).asLong();
      }
      JsonNode confidence = node.path("meanConfidence");
      return new MaskRecord(
          node.get("writer").asText(),
          node.get("width").asInt(),
          node.path("height").asInt(),
          confidence.isNumber() ? confidence.asDouble() : null,
          histogram);
    } catch (IOException e) {
      return null;
    }
  }
}

package dev.segspark.evaluation.panoptic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Field access on COCO panoptic JSON trees with errors that name the file and the field. */
final class CocoJsonNodes {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CocoJsonNodes() {}

  static JsonNode readTree(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      JsonNode root = MAPPER.readTree(in);
      if (root == null || !root.isObject()) {
        throw invalid("the top level is not a JSON object", file.toString());
      }
      return root;
    } catch (JsonProcessingException e) {
      throw invalid("malformed JSON: " + e.getOriginalMessage(), file.toString());
    } catch (IOException e) {
      throw new InvalidInputException(
          file.toString(),
          "Cannot read COCO panoptic JSON: " + IoErrors.reason(e) + " (" + file + ")",
          e);
    }
  }

  static IllegalArgumentException invalid(String reason, String source) {
    return new IllegalArgumentException(
        "Cannot read COCO panoptic JSON: " + reason + " (" + source + ")");
  }

  static JsonNode requireArray(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw invalid(name(where, field) + " is missing or not an array", source);
    }
    return value;
  }

  static int requireInt(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw invalid(name(where, field) + " is missing or not an integer", source);
    }
    return value.intValue();
  }

  static long optionalLong(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(name(where, field) + " is not an integer", source);
    }
    return value.longValue();
  }

  static String requireText(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw invalid(name(where, field) + " is missing or not a string", source);
    }
    return value.textValue();
  }

  /** An id that COCO writes as an integer and Cityscapes panoptic as a string. */
  static String requireIdText(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
      throw invalid(name(where, field) + " is missing or not an integer or string", source);
    }
    return value.asText();
  }

  /** A 0/1 flag; absent means 0 (as for {@code iscrowd} in many prediction files). */
  static boolean optionalFlag(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    return flag(value, name(where, field), source);
  }

  static boolean requireFlag(JsonNode node, String field, String where, String source) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw invalid(name(where, field) + " is missing", source);
    }
    return flag(value, name(where, field), source);
  }

  private static boolean flag(JsonNode value, String name, String source) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber() && (value.intValue() == 0 || value.intValue() == 1)) {
      return value.intValue() == 1;
    }
    throw invalid(name + " is not 0 or 1", source);
  }

  private static String name(String where, String field) {
    return where.isEmpty() ? "\"" + field + "\"" : where + "." + field;
  }
}

package dev.segspark.evaluation.labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads label tables from YAML: the built-in ones shipped from {@code conf/datasets/} ({@code
 * cityscapes}, {@code ade20k}, {@code voc}) or a user file.
 *
 * <p>A user file either lists full {@code labels:} rows (name, id, trainId, category, categoryId,
 * hasInstances, ignoreInEval, color) or just {@code classes:}, a list of names (or {@code {name,
 * color}} maps) whose position is both id and trainId. {@code ignoreIndex} defaults to 255.
 */
public final class LabelTables {
  /** Names of the tables shipped with segspark. */
  public static final List<String> BUILT_IN = List.of("cityscapes", "ade20k", "voc");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private LabelTables() {}

  /** A built-in table by name (in any letter case), or a YAML file by path. */
  public static LabelTable resolve(String nameOrPath) {
    return resolve(nameOrPath, Path::of);
  }

  /**
   * As {@link #resolve(String)}, with the path of a table file made by {@code paths} (for files on
   * other stores than the local disk).
   */
  public static LabelTable resolve(
      String nameOrPath, java.util.function.Function<String, Path> paths) {
    String name = nameOrPath.toLowerCase(Locale.ROOT);
    if (BUILT_IN.contains(name)) {
      return builtIn(name);
    }
    Path path = paths.apply(nameOrPath);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "Cannot load label table: not a built-in dataset "
              + BUILT_IN
              + " nor a readable file ("
              + nameOrPath
              + ")");
    }
    return load(path);
  }

  /** One of {@link #BUILT_IN}. */
  public static LabelTable builtIn(String name) {
    String resource = "/segspark/datasets/" + name + ".yaml";
    try (InputStream in = LabelTables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "Cannot load label table: unknown dataset (" + name + ")");
      }
      return parse(YAML.readTree(in), name);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load label table " + resource, e);
    }
  }

  /** A table from a YAML file. */
  public static LabelTable load(Path path) {
    try {
      JsonNode root;
      try (InputStream in = Files.newInputStream(path)) {
        root = YAML.readTree(in);
      }
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException(
            "Cannot load label table: expected a YAML mapping (" + path + ")");
      }
      return parse(root, path.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load label table: " + e.getMessage() + " (" + path + ")", e);
    }
  }

  /** A table from YAML text; {@code source} names it in errors. */
  public static LabelTable fromYaml(String yaml, String source) {
    try {
      return parse(YAML.readTree(yaml), source);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load label table: " + e.getMessage() + " (" + source + ")", e);
    }
  }

  /** A table whose class {@code i} has id and trainId {@code i}. */
  public static LabelTable ofClasses(String name, int ignoreIndex, List<String> classNames) {
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < classNames.size(); i++) {
      labels.add(new Label(classNames.get(i), i, i, "", 0, false, false, DefaultPalette.color(i)));
    }
    return new LabelTable(name, ignoreIndex, labels, Map.of());
  }

  static LabelTable parse(JsonNode root, String source) {
    String name = root.path("name").asText(baseName(source));
    int ignoreIndex = root.path("ignoreIndex").asInt(255);
    List<Label> labels = new ArrayList<>();
    if (root.has("labels")) {
      for (JsonNode row : root.get("labels")) {
        labels.add(fullLabel(row, ignoreIndex, source));
      }
    } else if (root.has("classes")) {
      int index = 0;
      for (JsonNode row : root.get("classes")) {
        labels.add(simpleLabel(row, index++, source));
      }
    } else {
      throw new IllegalArgumentException(
          "Cannot load label table: neither 'labels' nor 'classes' is given (" + source + ")");
    }
    try {
      return new LabelTable(name, ignoreIndex, labels, averageSizes(root));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + source + ")", e);
    }
  }

  private static Label fullLabel(JsonNode row, int ignoreIndex, String source) {
    if (!row.hasNonNull("name") || !row.hasNonNull("id")) {
      throw new IllegalArgumentException(
          "Cannot load label table: a label lacks 'name' or 'id' (" + source + ": " + row + ")");
    }
    int id = row.get("id").asInt();
    return new Label(
        row.get("name").asText(),
        id,
        row.path("trainId").asInt(id),
        row.path("category").asText(""),
        row.path("categoryId").asInt(0),
        row.path("hasInstances").asBoolean(false),
        row.path("ignoreInEval").asBoolean(row.path("trainId").asInt(id) == ignoreIndex),
        rgb(row.get("color"), id, source));
  }

  private static Label simpleLabel(JsonNode row, int index, String source) {
    String name = row.isTextual() ? row.asText() : row.path("name").asText(null);
    if (name == null) {
      throw new IllegalArgumentException(
          "Cannot load label table: a class lacks a name (" + source + ": " + row + ")");
    }
    return new Label(name, index, index, "", 0, false, false, rgb(row.get("color"), index, source));
  }

  private static int rgb(JsonNode color, int id, String source) {
    if (color == null || color.isNull()) {
      return DefaultPalette.color(id);
    }
    if (!color.isArray() || color.size() != 3) {
      throw new IllegalArgumentException(
          "Cannot load label table: colour must be [r, g, b] (" + source + ": " + color + ")");
    }
    return (color.get(0).asInt() << 16) | (color.get(1).asInt() << 8) | color.get(2).asInt();
  }

  private static Map<String, Double> averageSizes(JsonNode root) {
    Map<String, Double> sizes = new LinkedHashMap<>();
    JsonNode node = root.path("averageInstanceSize");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sizes.put(e.getKey(), e.getValue().asDouble());
    }
    return sizes;
  }

  private static String baseName(String source) {
    String file = Path.of(source).getFileName().toString();
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }
}

package dev.segspark.udfs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.ModelSpec.Engine;
import dev.segspark.udfs.model.ModelSpec.InputSpec;
import dev.segspark.udfs.model.ModelSpec.Precision;
import dev.segspark.udfs.model.ModelSpec.Resize;
import dev.segspark.udfs.model.head.Heads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads model specs ({@code conf/models/*.yaml}): the YAML's shape (known fields, value types) is
 * checked here, the values by {@link ModelSpec}'s constructor, on the driver, with a message naming
 * the spec file; relative model and class-table paths are resolved against the spec's folder.
 *
 * <pre>
 * name: segformer-synth
 * model: segformer-synth.pt          # relative path, absolute path or Hadoop-FS URI
 * engine: pytorch                    # pytorch (TorchScript .pt) | onnxruntime (.onnx)
 * architecture: segformer
 * adapter: logits                    # a registered head: logits | danet | detr-panoptic | labels
 * classes: cityscapes                # label table: built-in name or YAML path
 * outputIds: trainIds                # trainIds | labelIds
 * numClasses: 19
 * input: {height: 256, width: 512, resize: whole}   # or resize: slide, stride: [h, w]
 * channels: RGB                      # RGB | BGR
 * mean: [123.675, 116.28, 103.53]    # required: pixel units, in the model's channel order
 * std: [58.395, 57.12, 57.375]       # required: pixel units, each > 0
 * batchSize: 4
 * precision: fp32                    # fp32 | fp16 (GPU only)
 * detr: {threshold: 0.85}            # detr-panoptic only
 * </pre>
 */
public final class ModelSpecs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "model",
          "engine",
          "architecture",
          "adapter",
          "classes",
          "outputIds",
          "numClasses",
          "input",
          "channels",
          "mean",
          "std",
          "batchSize",
          "precision",
          "detr");

  private ModelSpecs() {}

  /**
   * A spec by path, or by name from the shipped {@code conf/models/<name>.yaml}: as packed into the
   * segspark-udfs jar (under {@code segspark/models/}), so that a name means the same files on the
   * driver and on every executor, with or without a checkout (spark-submit, a cluster's hosts);
   * each JVM extracts the model file from its own copy of the jar ({@link ModelFiles}). Without
   * that jar, from the checkout named by {@code -Dsegspark.repo.root}.
   */
  public static ModelSpec resolve(String pathOrName) {
    return resolve(pathOrName, null);
  }

  /**
   * As {@link #resolve(String)}, with {@code overrides} (a YAML mapping, may be {@code null})
   * merged into the spec file's fields before they are checked: nested mappings merge key by key,
   * other values replace. Relative paths still resolve against the spec file's folder.
   */
  public static ModelSpec resolve(String pathOrName, JsonNode overrides) {
    Path p = FsPaths.of(pathOrName);
    if (Files.isRegularFile(p)) {
      return load(p, overrides);
    }
    boolean name = !pathOrName.contains("/") && !pathOrName.endsWith(".yaml");
    if (name && ModelFiles.loader().getResource(resource(pathOrName)) != null) {
      return loadShipped(pathOrName, overrides);
    }
    Path models = shippedFolder();
    if (name && models != null) {
      Path shipped = models.resolve(pathOrName + ".yaml");
      if (Files.isRegularFile(shipped)) {
        return load(shipped, overrides);
      }
    }
    List<String> names = ShippedModels.names();
    if (names.isEmpty() && models != null) {
      names = shippedNames(models);
    }
    throw new IllegalArgumentException(
        "Cannot load model spec "
            + pathOrName
            + ": no such file, nor a shipped model name ("
            + (names.isEmpty()
                ? "shipped names need -Dsegspark.repo.root or the segspark-udfs jar"
                : "shipped: " + String.join(", ", names))
            + ")");
  }

  /** The class path resource of the shipped spec {@code name}. */
  private static String resource(String name) {
    return ShippedModels.FOLDER + name + ".yaml";
  }

  /** {@code conf/models} of the checkout named by {@code -Dsegspark.repo.root}, if any. */
  private static Path shippedFolder() {
    String root = System.getProperty("segspark.repo.root");
    Path models = root == null ? null : Path.of(root, "conf", "models");
    return models != null && Files.isDirectory(models) ? models : null;
  }

  /** Names of the specs in {@code models}, sorted. */
  static List<String> shippedNames(Path models) {
    try (Stream<Path> files = Files.list(models)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list shipped model specs in " + models, e);
    }
  }

  /** Loads a shipped spec from the class path: relative files stay in the jar. */
  private static ModelSpec loadShipped(String name, JsonNode overrides) {
    String src = ModelFiles.CLASSPATH + resource(name);
    JsonNode root;
    try (InputStream in = ModelFiles.loader().getResourceAsStream(resource(name))) {
      if (in == null) {
        throw new IllegalArgumentException("Cannot load model spec " + src + ": no such resource");
      }
      root = YAML.readTree(in);
    } catch (IOException e) {
      throw notYaml(src, e);
    }
    return fromTree(root, overrides, new Origin(src, null, name));
  }

  /** Loads and validates a spec file. */
  public static ModelSpec load(Path file) {
    return load(file, null);
  }

  /**
   * Loads a spec file with {@code overrides} merged in (see {@link #resolve(String, JsonNode)}).
   */
  public static ModelSpec load(Path file, JsonNode overrides) {
    String src = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot load model spec " + src + ": no such file");
    }
    JsonNode root;
    try {
      try (InputStream in = Files.newInputStream(file)) {
        root = YAML.readTree(in);
      }
    } catch (IOException e) {
      throw notYaml(src, e);
    }
    return fromTree(
        root, overrides, new Origin(src, file.toAbsolutePath().getParent(), stem(file)));
  }

  private static IllegalArgumentException notYaml(String src, IOException e) {
    return new IllegalArgumentException(
        "Cannot load model spec " + src + ": not valid YAML (" + e.getMessage() + ")", e);
  }

  /**
   * Where a spec came from: {@code src} for messages, the folder its relative paths resolve against
   * ({@code null}: the shipped folder in the jar) and the default name.
   */
  private record Origin(String src, Path dir, String stem) {}

  private static ModelSpec fromTree(JsonNode root, JsonNode overrides, Origin origin) {
    String src = origin.src();
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot load model spec " + src + ": not a YAML mapping");
    }
    if (overrides != null) {
      if (!overrides.isObject()) {
        throw new IllegalArgumentException(
            "Cannot load model spec " + src + ": overrides must be a mapping (" + overrides + ")");
      }
      merge((ObjectNode) root, overrides);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "Cannot load model spec "
                + src
                + ": unknown field '"
                + field
                + "' (known: "
                + FIELDS
                + ")");
      }
    }
    String model = resolveLocation(text(root, "model", src, null), origin);
    String name = text(root, "name", src, origin.stem());
    String adapter = text(root, "adapter", src, "logits");
    Engine engine;
    try {
      engine = Engine.parse(text(root, "engine", src, "pytorch"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": " + e.getMessage(), e);
    }
    String classes = text(root, "classes", src, null);
    LabelTable table = LabelTables.resolve(resolveTable(classes, origin), FsPaths::of);
    PredictionIds outputIds = PredictionIds.parse(text(root, "outputIds", src, "trainIds"));
    int numClasses = positive(root, "numClasses", src, -1);
    InputSpec input = input(root.get("input"), src);
    String channels = text(root, "channels", src, "RGB").toUpperCase(Locale.ROOT);
    if (!channels.equals("RGB") && !channels.equals("BGR")) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": channels must be RGB or BGR (" + channels + ")");
    }
    float[] mean = numbers(root, "mean", src);
    float[] std = numbers(root, "std", src);
    int batchSize = positive(root, "batchSize", src, 1);
    Precision precision =
        switch (text(root, "precision", src, "fp32").toLowerCase(Locale.ROOT)) {
          case "fp32", "float32" -> Precision.FP32;
          case "fp16", "float16", "half" -> Precision.FP16;
          default ->
              throw new IllegalArgumentException(
                  "Cannot load model spec " + src + ": precision must be fp32 or fp16");
        };
    double threshold = 0.85;
    JsonNode detr = root.get("detr");
    if (detr != null && detr.has("threshold")) {
      threshold = detr.get("threshold").asDouble(Double.NaN); // the spec checks the range
    }
    return new ModelSpec(
        name,
        src,
        model,
        engine,
        text(root, "architecture", src, Heads.canonical(adapter)),
        adapter,
        classes,
        table,
        outputIds,
        numClasses,
        input,
        channels.equals("BGR"),
        mean,
        std,
        batchSize,
        precision,
        threshold);
  }

  private static void merge(ObjectNode target, JsonNode overrides) {
    overrides
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode old = target.get(e.getKey());
              if (old != null && old.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) old, e.getValue());
              } else {
                target.set(e.getKey(), e.getValue());
              }
            });
  }

  /**
   * Relative paths are against the spec's folder (a shipped spec's: its folder in the jar); URIs
   * with a scheme stay as they are.
   */
  private static String resolveLocation(String location, Origin origin) {
    if (hasScheme(location)) {
      return location.startsWith("file:") ? Path.of(URI.create(location)).toString() : location;
    }
    if (origin.dir() == null) {
      return Path.of(location).isAbsolute()
          ? location
          : ModelFiles.CLASSPATH + ShippedModels.FOLDER + location;
    }
    return origin.dir().resolve(location).normalize().toString();
  }

  private static String resolveTable(String classes, Origin origin) {
    if (LabelTables.BUILT_IN.contains(classes.toLowerCase(Locale.ROOT)) || hasScheme(classes)) {
      return classes;
    }
    Path p = Path.of(classes);
    if (p.isAbsolute() || Files.isRegularFile(p)) {
      return classes;
    }
    if (origin.dir() == null) {
      throw new IllegalArgumentException(
          "Cannot load model spec "
              + origin.src()
              + ": a shipped spec's classes must be a built-in table or an absolute path ("
              + classes
              + ")");
    }
    return origin.dir().resolve(p).toString();
  }

  static boolean hasScheme(String location) {
    int colon = location.indexOf(':');
    return colon > 1 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
  }

  private static InputSpec input(JsonNode node, String src) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": 'input: {height: H, width: W}' is required");
    }
    int h = positive(node, "height", src, -1);
    int w = positive(node, "width", src, -1);
    Resize resize =
        switch (text(node, "resize", src, "whole").toLowerCase(Locale.ROOT)) {
          case "whole" -> Resize.WHOLE;
          case "slide" -> Resize.SLIDE;
          default ->
              throw new IllegalArgumentException(
                  "Cannot load model spec " + src + ": input.resize must be whole or slide");
        };
    int sh = h;
    int sw = w;
    JsonNode stride = node.get("stride");
    if (stride != null) {
      if (!stride.isArray()
          || stride.size() != 2
          || stride.get(0).asInt() <= 0
          || stride.get(1).asInt() <= 0) {
        throw new IllegalArgumentException(
            "Cannot load model spec " + src + ": input.stride must be [height, width] > 0");
      }
      sh = stride.get(0).asInt();
      sw = stride.get(1).asInt();
    } else if (resize == Resize.SLIDE) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": resize: slide needs input.stride: [h, w]");
    }
    return new InputSpec(h, w, resize, sh, sw);
  }

  private static String text(JsonNode node, String field, String src, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new IllegalArgumentException(
            "Cannot load model spec " + src + ": '" + field + "' is required");
      }
      return fallback;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": '" + field + "' must be a non-empty value");
    }
    return v.asText();
  }

  private static int positive(JsonNode node, String field, String src, int fallback) {
    JsonNode v = node.get(field);
    if (v == null) {
      if (fallback < 0) {
        throw new IllegalArgumentException(
            "Cannot load model spec " + src + ": '" + field + "' is required");
      }
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
      throw new IllegalArgumentException(
          "Cannot load model spec " + src + ": '" + field + "' must be a positive integer");
    }
    return v.asInt();
  }

  /** A list of numbers, or null when absent: {@link ModelSpec} checks count and range. */
  private static float[] numbers(JsonNode node, String field, String src) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(
          "Cannot load model spec "
              + src
              + ": "
              + field
              + " must be a list of 3 numbers in pixel units, in the model's channel order ("
              + v
              + ")");
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber()) {
        throw new IllegalArgumentException(
            "Cannot load model spec "
                + src
                + ": "
                + field
                + " must be a list of 3 numbers ("
                + v.get(i)
                + " is not a number)");
      }
      out[i] = (float) v.get(i).asDouble();
    }
    return out;
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}

package dev.segspark.jobs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A benchmark plan ({@code conf/benchmarks/*.yaml}): which models run on which datasets, how often.
 * Unknown keys are errors naming the key's path ({@code datasets[0].synht}).
 *
 * @param name the plan's name (tables, file titles)
 * @param repeats timed runs per pair
 * @param warmup untimed runs per pair before them
 * @param datasets the datasets, in plan order
 * @param models the models, in plan order
 */
public record BenchmarkPlan(
    String name, int repeats, int warmup, List<Dataset> datasets, List<Model> models) {

  /**
   * One dataset.
   *
   * @param name label in tables
   * @param dataset built-in name or label-table YAML, as {@code --dataset}
   * @param root data root, as {@code --data-root}
   * @param split split ({@code null}: the layout's default)
   * @param convention metric convention ({@code null}: the dataset's default)
   * @param synth generate the data into {@code root} when it has none ({@code null}: never)
   */
  public record Dataset(
      String name, String dataset, Path root, String split, Convention convention, Synth synth) {}

  /**
   * Synthetic data for a dataset.
   *
   * @param images frames
   * @param seed random seed
   * @param height frame height
   * @param width frame width
   */
  public record Synth(int images, long seed, int height, int width) {}

  /**
   * One model.
   *
   * @param spec shipped name or spec path, as {@code --model}
   * @param name label in tables ({@code null}: the spec's name)
   * @param overrides spec fields merged over the spec file ({@code null}: none)
   */
  public record Model(String spec, String name, JsonNode overrides) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public BenchmarkPlan {
    datasets = List.copyOf(datasets);
    models = List.copyOf(models);
  }

  /** This plan with {@code repeats} and {@code warmup} replaced where not {@code null}. */
  public BenchmarkPlan with(Integer newRepeats, Integer newWarmup) {
    int r = newRepeats == null ? repeats : newRepeats;
    int w = newWarmup == null ? warmup : newWarmup;
    if (r < 1 || w < 0) {
      throw new IllegalArgumentException(
          "Cannot run benchmark: --repeats must be >= 1 and --warmup >= 0 (" + r + ", " + w + ")");
    }
    return new BenchmarkPlan(name, r, w, datasets, models);
  }

  /**
   * Reads and checks a plan.
   *
   * @throws IllegalArgumentException naming the file and the key
   */
  public static BenchmarkPlan load(Path file) {
    String src = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot load benchmark plan " + src + ": no such file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load benchmark plan " + src + ": not valid YAML (" + firstLine(e) + ")", e);
    }
    Reader r = new Reader(src);
    r.mapping(root, "", Set.of("name", "repeats", "warmup", "datasets", "models"));
    String name = r.text(root, "name", "", null);
    int repeats = r.integer(root, "repeats", "", 3, 1);
    int warmup = r.integer(root, "warmup", "", 1, 0);
    List<Dataset> datasets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode d : r.list(root, "datasets")) {
      String at = "datasets[" + datasets.size() + "].";
      r.mapping(d, at, Set.of("name", "dataset", "root", "split", "convention", "synth"));
      String dname = r.text(d, "name", at, null);
      if (!names.add(dname)) {
        throw r.error(at + "name", "is used twice (" + dname + ")");
      }
      String conv = r.text(d, "convention", at, "");
      Synth synth = null;
      JsonNode s = d.get("synth");
      if (s != null) {
        r.mapping(s, at + "synth.", Set.of("images", "seed", "size"));
        String size = r.text(s, "size", at + "synth.", "256x512");
        String[] hw = size.toLowerCase(Locale.ROOT).split("x");
        if (hw.length != 2 || !hw[0].matches("\\d{2,5}") || !hw[1].matches("\\d{2,5}")) {
          throw r.error(at + "synth.size", "must be HEIGHTxWIDTH, e.g. 256x512 (" + size + ")");
        }
        synth =
            new Synth(
                r.integer(s, "images", at + "synth.", 64, 1),
                r.integer(s, "seed", at + "synth.", 7, 0),
                Integer.parseInt(hw[0]),
                Integer.parseInt(hw[1]));
      }
      Convention convention;
      try {
        convention = conv.isEmpty() ? null : Convention.parse(conv);
      } catch (IllegalArgumentException e) {
        throw r.error(at + "convention", e.getMessage());
      }
      datasets.add(
          new Dataset(
              dname,
              r.text(d, "dataset", at, null),
              FsPaths.of(r.text(d, "root", at, null)),
              emptyToNull(r.text(d, "split", at, "")),
              convention,
              synth));
    }
    List<Model> models = new ArrayList<>();
    Set<String> modelNames = new HashSet<>();
    for (JsonNode m : r.list(root, "models")) {
      String at = "models[" + models.size() + "].";
      Model model;
      if (m.isTextual() && !m.asText().isBlank()) {
        model = new Model(m.asText(), null, null);
      } else {
        r.mapping(m, at, Set.of("spec", "name", "overrides"));
        JsonNode overrides = m.get("overrides");
        if (overrides != null && !overrides.isObject()) {
          throw r.error(at + "overrides", "must be a mapping of spec fields");
        }
        model =
            new Model(
                r.text(m, "spec", at, null), emptyToNull(r.text(m, "name", at, "")), overrides);
      }
      String label = model.name() != null ? model.name() : model.spec();
      if (!modelNames.add(label)) {
        throw r.error(at + "name", "two models are named " + label + "; give each its own name");
      }
      models.add(model);
    }
    return new BenchmarkPlan(name, repeats, warmup, datasets, models);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Typed reads with messages that name the plan file and the key's path. */
  private record Reader(String src) {
    IllegalArgumentException error(String key, String reason) {
      return new IllegalArgumentException(
          "Cannot load benchmark plan " + src + ": " + key + " " + reason);
    }

    void mapping(JsonNode node, String at, Set<String> known) {
      if (node == null || !node.isObject()) {
        throw error(
            at.isEmpty() ? "the plan" : at.substring(0, at.length() - 1), "must be a mapping");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          throw error(
              at + key,
              "is not a known key (known: "
                  + String.join(", ", known.stream().sorted().toList())
                  + ")");
        }
      }
    }

    String text(JsonNode node, String key, String at, String fallback) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (fallback == null) {
          throw error(at + key, "is required");
        }
        return fallback;
      }
      if (!v.isValueNode() || v.asText().isBlank()) {
        throw error(at + key, "must be a non-empty value");
      }
      return v.asText();
    }

    int integer(JsonNode node, String key, String at, int fallback, int min) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
        throw error(at + key, "must be an integer >= " + min + " (" + v + ")");
      }
      return v.asInt();
    }

    List<JsonNode> list(JsonNode node, String key) {
      JsonNode v = node.get(key);
      if (v == null || !v.isArray() || v.isEmpty()) {
        throw error(key, "must be a non-empty list");
      }
      List<JsonNode> out = new ArrayList<>();
      v.forEach(out::add);
      return out;
    }
  }
}

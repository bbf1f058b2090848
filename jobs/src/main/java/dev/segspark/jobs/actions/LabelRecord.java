package dev.segspark.jobs.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.udfs.model.ModelFiles;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.LabelLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What writes a labelling folder, kept in {@code OUT/_segspark.json}: every setting that decides
 * the masks' bytes (the model's name, a SHA-256 of its file, the spec's adapter, classes, output
 * ids, input, channels, mean, std, precision and DETR threshold; not the batch size) and the
 * formats, with a fingerprint of them all. Each image's record carries the fingerprint too (see
 * {@link dev.segspark.udfs.partition.MaskRecord}).
 *
 * <p>{@code --resume} into a folder whose record differs is refused, naming what differs: its masks
 * are another model's (or spec's, or formats'), and counting them as resumed would give a manifest
 * that misnames them. A run without {@code --resume} relabels and records its own settings; masks
 * it does not rewrite keep their old fingerprint, so a later resume predicts them again.
 */
final class LabelRecord {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode settings;
  private final String fingerprint;
  private final String spec;

  private LabelRecord(ObjectNode settings, String spec) {
    this.settings = settings;
    this.fingerprint = sha256(settings.toString().getBytes(StandardCharsets.UTF_8));
    this.spec = spec;
  }

  /** The settings of a run of {@code model} writing {@code formats} (hashes the model file). */
  static LabelRecord of(ModelSpec model, List<String> formats) {
    ObjectNode s = JSON.createObjectNode();
    s.put("model", model.name());
    s.put("modelFile", "sha256:" + fileSha256(ModelFiles.local(model.model())));
    s.put("engine", model.engine().yamlName());
    s.put("adapter", model.adapter());
    s.put("classes", model.table().name());
    s.put("outputIds", model.outputIds() == PredictionIds.TRAIN_IDS ? "trainIds" : "labelIds");
    s.put("numClasses", model.numClasses());
    ModelSpec.InputSpec in = model.input();
    String resize = in.resize().name().toLowerCase(Locale.ROOT);
    s.put(
        "input",
        in.height()
            + "x"
            + in.width()
            + " "
            + resize
            + (in.resize() == ModelSpec.Resize.SLIDE
                ? " stride " + in.strideHeight() + "x" + in.strideWidth()
                : ""));
    s.put("channels", model.bgr() ? "BGR" : "RGB");
    floats(s.putArray("mean"), model.mean());
    floats(s.putArray("std"), model.std());
    s.put("precision", model.precision().name().toLowerCase(Locale.ROOT));
    if (model.head().panoptic()) {
      s.put("detrThreshold", model.detrThreshold());
    }
    ArrayNode f = s.putArray("formats");
    formats.forEach(f::add);
    return new LabelRecord(s, model.source());
  }

  /** The fingerprint of the settings, kept in every image's record. */
  String fingerprint() {
    return fingerprint;
  }

  /**
   * Records these settings as the writer of {@code out}. Under {@code resume}, a folder recorded
   * with other settings is refused first.
   *
   * @throws InvalidInputException naming the folder and every setting that differs
   */
  void claim(Path out, boolean resume) {
    Path file = out.resolve(LabelLayout.RUN_RECORD);
    if (resume && Files.exists(file)) {
      refuseIfOther(out, file);
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("writer", "segspark label");
    root.put("fingerprint", fingerprint);
    root.put("modelSpec", spec);
    root.set("settings", settings);
    try {
      AtomicFiles.write(file, JSON.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void refuseIfOther(Path out, Path file) {
    JsonNode recorded;
    try {
      recorded = JSON.readTree(Files.readAllBytes(file)).path("settings");
    } catch (IOException e) {
      throw refusal(out, file + " is not readable (" + e.getMessage() + ")");
    }
    if (!recorded.isObject()) {
      throw refusal(out, file + " holds no settings");
    }
    List<String> differences = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    settings.fieldNames().forEachRemaining(names::add);
    recorded.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      String there = text(recorded.get(name));
      String now = text(settings.get(name));
      if (!there.equals(now)) {
        differences.add(name + ": " + there + " there, " + now + " now");
      }
    }
    if (!differences.isEmpty()) {
      throw refusal(
          out,
          "its masks were written with other settings ("
              + String.join("; ", differences)
              + ", see "
              + file
              + ")");
    }
  }

  private static InvalidInputException refusal(Path out, String reason) {
    return new InvalidInputException(
        out.toString(),
        "Cannot resume into "
            + out
            + ": "
            + reason
            + ". Use a new --out, or drop --resume to label every image again.");
  }

  /** A setting as text: arrays as {@code [a, b]}, absent as {@code (none)}. */
  private static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "(none)";
    }
    if (!node.isArray()) {
      return node.asText();
    }
    List<String> items = new ArrayList<>();
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      items.add(it.next().asText());
    }
    return items.toString();
  }

  private static void floats(ArrayNode array, float[] values) {
    for (float v : values) {
      array.add(Double.parseDouble(Float.toString(v)));
    }
  }

  private static String fileSha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new InvalidInputException(
          file.toString(), "Cannot read model " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.segspark.jobs.data;

import dev.segspark.udfs.partition.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Lists a dataset's ground truth and pairs each file with its prediction, on the driver. A ground
 * truth without prediction is kept with a {@code null} prediction so the job can fail or skip it by
 * policy; a ground truth with several candidate predictions is an error, as in cityscapesScripts.
 */
public final class SampleLister {
  private static final String CS_LABELS = "_gtFine_labelIds.png";
  private static final String CS_INSTANCES = "_gtFine_instanceIds.png";

  private SampleLister() {}

  /** Samples of {@code dataset} paired with predictions under {@code predictions}, sorted by id. */
  public static List<Sample> list(DatasetSpec dataset, Path predictions) {
    return listWith(dataset, predictions, "predictions", PREDICTIONS);
  }

  /**
   * Samples of {@code dataset} paired with their input images (in {@link Sample#prediction()}), for
   * evaluation with a model; a ground truth without image keeps a {@code null} there.
   */
  public static List<Sample> listImages(DatasetSpec dataset) {
    return listWith(dataset, imageFolder(dataset), "image", IMAGES);
  }

  private static List<Sample> listWith(
      DatasetSpec dataset, Path folder, String what, List<String> suffixes) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "Cannot evaluate: " + what + " folder does not exist (" + folder + ")");
    }
    List<Path> gts = groundTruth(dataset);
    if (gts.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot evaluate: no ground-truth files found under "
              + gtFolder(dataset)
              + " (layout "
              + dataset.layout().name().toLowerCase()
              + ", split '"
              + dataset.split()
              + "')");
    }
    return dataset.layout() == Layout.CITYSCAPES
        ? pair(gts, folder, suffixes, SampleLister::cityscapesPrefix, true)
        : pair(gts, folder, suffixes, SampleLister::stem, false);
  }

  /** The folder holding input images. */
  public static Path imageFolder(DatasetSpec d) {
    return switch (d.layout()) {
      case CITYSCAPES -> d.root().resolve("leftImg8bit").resolve(d.split());
      case ADE20K -> d.root().resolve("images").resolve(d.split());
      case VOC -> d.root().resolve("JPEGImages");
      case GENERIC ->
          d.split().isEmpty() || !Files.isDirectory(d.root().resolve("images").resolve(d.split()))
              ? d.root().resolve("images")
              : d.root().resolve("images").resolve(d.split());
    };
  }

  /** File name endings of prediction maps. */
  private static final List<String> PREDICTIONS = List.of(".png");

  /** File name endings of input images. */
  public static final List<String> IMAGES =
      List.of(".png", ".jpg", ".jpeg", ".bmp", ".PNG", ".JPG", ".JPEG");

  /** The folder holding ground-truth label maps. */
  public static Path gtFolder(DatasetSpec d) {
    return switch (d.layout()) {
      case CITYSCAPES -> d.root().resolve("gtFine").resolve(d.split());
      case ADE20K -> d.root().resolve("annotations").resolve(d.split());
      case VOC -> d.root().resolve("SegmentationClass");
      case GENERIC ->
          d.split().isEmpty() || !Files.isDirectory(d.root().resolve("masks").resolve(d.split()))
              ? d.root().resolve("masks")
              : d.root().resolve("masks").resolve(d.split());
    };
  }

  private static List<Path> groundTruth(DatasetSpec d) {
    Path folder = gtFolder(d);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "Cannot evaluate: ground-truth folder does not exist (" + folder + ")");
    }
    String suffix = d.layout() == Layout.CITYSCAPES ? CS_LABELS : ".png";
    List<Path> files = walk(folder, List.of(suffix));
    if (d.layout() == Layout.VOC) {
      Path list = d.root().resolve("ImageSets/Segmentation").resolve(d.split() + ".txt");
      if (Files.isRegularFile(list)) {
        Set<String> ids = new HashSet<>(readLines(list));
        files.removeIf(p -> !ids.contains(stem(p)));
      }
    }
    return files;
  }

  /**
   * Pairs each ground truth with the one prediction of the same key ({@code key} returns null for
   * files that match nothing); several candidates are an error.
   */
  private static List<Sample> pair(
      List<Path> gts,
      Path predictions,
      List<String> suffixes,
      Function<Path, String> key,
      boolean cityscapes) {
    Map<String, List<Path>> byKey = new HashMap<>();
    for (Path p : walk(predictions, suffixes)) {
      String k = key.apply(p);
      if (k != null) {
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
      }
    }
    List<Sample> samples = new ArrayList<>();
    for (Path gt : gts) {
      String id = key.apply(gt);
      List<Path> preds = byKey.getOrDefault(id, List.of());
      if (preds.size() > 1) {
        throw new IllegalArgumentException(
            "Cannot evaluate " + gt + ": several predictions match " + id + " " + preds);
      }
      String prediction = preds.isEmpty() ? null : preds.get(0).toString();
      samples.add(new Sample(id, gt.toString(), cityscapes ? instances(gt) : null, prediction));
    }
    return samples;
  }

  /** The Cityscapes instance map beside a labelIds file, or null. */
  private static String instances(Path gt) {
    Path inst = gt.resolveSibling(gt.getFileName().toString().replace(CS_LABELS, CS_INSTANCES));
    return Files.isRegularFile(inst) ? inst.toString() : null;
  }

  /** The message for a Cityscapes ground truth whose instance map is missing. */
  public static String missingInstances(Sample sample) {
    String gt = sample.groundTruth();
    return "Cannot evaluate "
        + gt
        + ": its instance map is missing ("
        + gt.replace(CS_LABELS, CS_INSTANCES)
        + "); iIoU needs one for every image once any image has one";
  }

  private static String cityscapesPrefix(Path p) {
    return cityscapesPrefix(p.getFileName().toString());
  }

  /** {@code <city>_<seq>_<frame>} of a Cityscapes file name, or null. */
  static String cityscapesPrefix(String fileName) {
    String[] parts = fileName.split("_");
    return parts.length < 3 ? null : parts[0] + "_" + parts[1] + "_" + parts[2].replace(".png", "");
  }

  private static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Regular files under {@code folder} (recursively) ending with one of {@code suffixes}. */
  public static List<Path> walk(Path folder, List<String> suffixes) {
    try (Stream<Path> files = Files.walk(folder)) {
      return new ArrayList<>(
          files
              .filter(Files::isRegularFile)
              .filter(p -> suffixes.stream().anyMatch(p.getFileName().toString()::endsWith))
              .sorted()
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

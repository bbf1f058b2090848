package dev.segspark.jobs.data;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.udfs.partition.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lists a dataset's ground truth and pairs each file with its prediction, on the driver. A ground
 * truth without prediction is kept with a {@code null} prediction so the job can fail or skip it by
 * policy. A ground truth with several candidate predictions (as in cityscapesScripts), and an id
 * shared by several ground-truth files (which would count one prediction twice), are listing
 * errors: the job fails on them, or records them and evaluates the rest, by the same policy.
 * Folders are listed by {@link FileTree}: links are followed, nothing is dropped silently.
 */
public final class SampleLister {
  private static final String CS_LABELS = "_gtFine_labelIds.png";
  private static final String CS_INSTANCES = "_gtFine_instanceIds.png";

  private SampleLister() {}

  /**
   * Samples of {@code dataset} paired with predictions under {@code predictions}, in ground-truth
   * path order.
   */
  public static SampleListing list(DatasetSpec dataset, Path predictions) {
    return listWith(dataset, predictions, "predictions", PREDICTIONS);
  }

  /**
   * Samples of {@code dataset} paired with their input images (in {@link Sample#prediction()}), for
   * evaluation with a model; a ground truth without image keeps a {@code null} there.
   */
  public static SampleListing listImages(DatasetSpec dataset) {
    return listWith(dataset, imageFolder(dataset), "images", IMAGES);
  }

  /**
   * Checks that the folders a listing reads exist: the data root, its ground-truth folder and the
   * predictions (or, when {@code predictions} is null, the images) folder.
   *
   * @throws IllegalArgumentException naming the missing folder (bad usage)
   */
  public static void checkFolders(DatasetSpec dataset, Path predictions) {
    PathChecks.requireFolder(dataset.root(), "data root", "evaluate");
    PathChecks.requireFolder(
        gtFolder(dataset),
        "ground-truth folder (layout "
            + dataset.layout().name().toLowerCase(Locale.ROOT)
            + ", split '"
            + dataset.split()
            + "')",
        "evaluate");
    if (predictions != null) {
      PathChecks.requireFolder(predictions, "--predictions", "evaluate");
    } else {
      PathChecks.requireFolder(imageFolder(dataset), "image folder", "evaluate");
    }
  }

  private static SampleListing listWith(
      DatasetSpec dataset, Path folder, String what, List<String> suffixes) {
    checkFolders(dataset, what.equals("images") ? null : folder);
    List<Path> gts = groundTruth(dataset);
    if (gts.isEmpty()) {
      throw new InvalidInputException(
          gtFolder(dataset).toString(),
          "Cannot evaluate: no ground-truth files found under "
              + gtFolder(dataset)
              + " (layout "
              + dataset.layout().name().toLowerCase(Locale.ROOT)
              + ", split '"
              + dataset.split()
              + "')");
    }
    return dataset.layout() == Layout.CITYSCAPES
        ? pair(gts, folder, what, suffixes, SampleLister::cityscapesPrefix, true)
        : pair(gts, folder, what, suffixes, SampleLister::stem, false);
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
    String suffix = d.layout() == Layout.CITYSCAPES ? CS_LABELS : ".png";
    List<Path> files = walk(gtFolder(d), List.of(suffix));
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
   * files that match nothing). Several candidates, or several ground truths of one key, make that
   * key a listing error.
   */
  private static SampleListing pair(
      List<Path> gts,
      Path predictions,
      String what,
      List<String> suffixes,
      Function<Path, String> key,
      boolean cityscapes) {
    Map<String, List<Path>> preds = byKey(walk(predictions, suffixes), key);
    List<Sample> samples = new ArrayList<>();
    List<ImageError> errors = new ArrayList<>();
    for (Map.Entry<String, List<Path>> e : byKey(gts, key).entrySet()) {
      String id = e.getKey();
      List<Path> gt = e.getValue();
      List<Path> matches = preds.getOrDefault(id, List.of());
      if (gt.size() > 1) {
        errors.add(
            new ImageError(
                id, "Cannot evaluate " + id + ": several ground-truth files have this id " + gt));
      } else if (matches.size() > 1) {
        errors.add(
            new ImageError(
                id,
                "Cannot evaluate "
                    + gt.get(0)
                    + ": several "
                    + what
                    + " match "
                    + id
                    + " "
                    + matches));
      } else {
        String prediction = matches.isEmpty() ? null : matches.get(0).toString();
        samples.add(
            new Sample(
                id, gt.get(0).toString(), cityscapes ? instances(gt.get(0)) : null, prediction));
      }
    }
    return new SampleListing(samples, errors);
  }

  /** Files grouped by key, in the order of their first file; files without a key are left out. */
  private static Map<String, List<Path>> byKey(List<Path> files, Function<Path, String> key) {
    Map<String, List<Path>> byKey = new LinkedHashMap<>();
    for (Path p : files) {
      String k = key.apply(p);
      if (k != null) {
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
      }
    }
    return byKey;
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

  /**
   * Files under {@code folder} (recursively, links followed) ending with one of {@code suffixes}.
   */
  public static List<Path> walk(Path folder, List<String> suffixes) {
    return FileTree.files(
        folder, p -> suffixes.stream().anyMatch(p.getFileName().toString()::endsWith), null);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.jobs.data.ImageLister;
import dev.segspark.udfs.partition.LabelItem;
import dev.segspark.udfs.partition.LabelLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images a label job reads, checked on the driver before any task: the paths ({@link
 * LabelSpec#checkPaths()}), at least one image, and output files that belong to one image each.
 *
 * <p>The output folder is left out of the listing when it lies below the images folder, so a run
 * never labels the masks of an earlier run ({@code --images photos --out photos/masks} works run
 * after run). Leaving it out, rather than refusing, is what that common layout needs; nothing the
 * user meant as input is lost, since the job writes only there. ({@code --out} equal to the images
 * folder is refused by {@link LabelSpec#checkPaths()}.)
 */
final class LabelInputs {
  /** Collisions listed in the message; more are counted. */
  private static final int SHOWN = 10;

  private LabelInputs() {}

  /** The images to label, sorted by relative path. */
  static List<LabelItem> list(LabelSpec spec) {
    spec.checkPaths();
    List<LabelItem> items = ImageLister.list(spec.images(), spec.out());
    if (items.isEmpty()) {
      throw new InvalidInputException(
          spec.images(),
          "Cannot label: no PNG/JPEG/BMP images found for --images (" + spec.images() + ")");
    }
    failOnCollisions(items, spec.formats(), spec.model().head().panoptic());
    return items;
  }

  /**
   * Fails, naming them, if several images would write the same output file ({@code a.png} and
   * {@code a.jpg} both give {@code ids/a.png}): the outputs are named by {@link
   * LabelLayout#outputs}, as the tasks name them, and one would overwrite the other.
   */
  static void failOnCollisions(List<LabelItem> items, List<String> formats, boolean panoptic) {
    Map<String, List<String>> writers = new LinkedHashMap<>();
    for (LabelItem item : items) {
      for (String path : LabelLayout.outputs(item.relative(), formats, panoptic)) {
        writers.computeIfAbsent(path, p -> new ArrayList<>()).add(item.relative());
      }
    }
    Map<List<String>, String> collisions = new LinkedHashMap<>();
    writers.forEach(
        (path, inputs) -> {
          if (inputs.size() > 1) {
            collisions.putIfAbsent(inputs, path);
          }
        });
    if (collisions.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("Cannot label: ")
            .append(collisions.size())
            .append(" group(s) of images would write the same output file (outputs are named")
            .append(" after the input without its extension); rename them or label them")
            .append(" separately:");
    collisions.entrySet().stream()
        .limit(SHOWN)
        .forEach(
            c ->
                message
                    .append(System.lineSeparator())
                    .append("  ")
                    .append(String.join(", ", c.getKey()))
                    .append(" -> ")
                    .append(c.getValue()));
    if (collisions.size() > SHOWN) {
      message
          .append(System.lineSeparator())
          .append("  ... and ")
          .append(collisions.size() - SHOWN)
          .append(" more");
    }
    throw new InvalidInputException(
        collisions.keySet().iterator().next().get(0), message.toString());
  }
}

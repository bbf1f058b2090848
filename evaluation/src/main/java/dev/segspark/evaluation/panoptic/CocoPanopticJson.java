package dev.segspark.evaluation.panoptic;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of a COCO panoptic JSON file (ground truth or predictions) that evaluation needs.
 *
 * <p>{@code annotations} is required; {@code images} and {@code categories} are optional because
 * prediction files usually have only annotations. Image ids are kept as text: COCO writes integers,
 * Cityscapes panoptic writes strings.
 *
 * @param images the {@code images} list, empty when absent
 * @param annotations the {@code annotations} list, in file order
 * @param categories the {@code categories} list, empty when absent
 */
public record CocoPanopticJson(
    List<ImageInfo> images, List<Annotation> annotations, Optional<PanopticCategories> categories) {

  /**
   * Copies the lists. Two annotations for one image id, or one segment id listed twice, are kept:
   * they spoil only that image, which a job records as an image error ({@link #duplicateImageIds},
   * {@link Annotation#duplicateSegmentIds}).
   */
  public CocoPanopticJson {
    images = List.copyOf(images);
    annotations = List.copyOf(annotations);
    categories = categories == null ? Optional.empty() : categories;
  }

  /**
   * Reads a COCO panoptic JSON file.
   *
   * @param file the JSON file
   * @return its images, annotations and categories
   * @throws IllegalArgumentException if the file is not valid COCO panoptic JSON (message names the
   *     file and the field)
   * @throws dev.segspark.evaluation.InvalidInputException if the file cannot be read (the reason
   *     and the path)
   */
  public static CocoPanopticJson read(Path file) {
    String source = file.toString();
    JsonNode root = CocoJsonNodes.readTree(file);
    List<ImageInfo> images = new ArrayList<>();
    if (root.has("images")) {
      JsonNode array = CocoJsonNodes.requireArray(root, "images", "", source);
      for (int i = 0; i < array.size(); i++) {
        images.add(ImageInfo.fromJson(array.get(i), "images[" + i + "]", source));
      }
    }
    List<Annotation> annotations = new ArrayList<>();
    JsonNode array = CocoJsonNodes.requireArray(root, "annotations", "", source);
    for (int i = 0; i < array.size(); i++) {
      annotations.add(Annotation.fromJson(array.get(i), "annotations[" + i + "]", source));
    }
    Optional<PanopticCategories> categories = Optional.empty();
    if (root.has("categories")) {
      JsonNode list = CocoJsonNodes.requireArray(root, "categories", "", source);
      categories = Optional.of(PanopticCategories.fromJson(list, source));
    }
    return new CocoPanopticJson(images, annotations, categories);
  }

  /**
   * Indexes the annotations by image id, in file order; where an image id has several, the first.
   *
   * @return an immutable map
   */
  public Map<String, Annotation> annotationsByImageId() {
    Map<String, Annotation> map = new LinkedHashMap<>();
    for (Annotation annotation : annotations) {
      map.putIfAbsent(annotation.imageId(), annotation);
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * How many annotations each image id has, for the ids with more than one.
   *
   * @return image id to its number of annotations, in file order
   */
  public Map<String, Integer> duplicateImageIds() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Annotation annotation : annotations) {
      counts.merge(annotation.imageId(), 1, Integer::sum);
    }
    counts.values().removeIf(n -> n == 1);
    return Collections.unmodifiableMap(counts);
  }

  /**
   * One entry of the {@code images} list.
   *
   * @param id image id as text
   * @param fileName the {@code file_name} of the source image (e.g. a JPEG)
   * @param width width in pixels, or 0 when absent
   * @param height height in pixels, or 0 when absent
   */
  public record ImageInfo(String id, String fileName, int width, int height) {

    /** Validates the required fields. */
    public ImageInfo {
      if (id == null || fileName == null || width < 0 || height < 0) {
        throw new IllegalArgumentException(
            "Cannot create image info: id and file name are required, sizes >= 0 (" + id + ")");
      }
    }

    static ImageInfo fromJson(JsonNode node, String where, String source) {
      return new ImageInfo(
          CocoJsonNodes.requireIdText(node, "id", where, source),
          CocoJsonNodes.requireText(node, "file_name", where, source),
          (int) CocoJsonNodes.optionalLong(node, "width", where, source),
          (int) CocoJsonNodes.optionalLong(node, "height", where, source));
    }
  }

  /**
   * One entry of the {@code annotations} list: the segment PNG of one image and its segments.
   *
   * @param imageId the {@code image_id}, as text
   * @param fileName the {@code file_name} of the segment-id PNG
   * @param segments the {@code segments_info} list
   */
  public record Annotation(String imageId, String fileName, List<Segment> segments) {

    /** Copies the segments and validates the required fields. */
    public Annotation {
      if (imageId == null || fileName == null) {
        throw new IllegalArgumentException(
            "Cannot create annotation: image id and file name are required (" + imageId + ")");
      }
      segments = List.copyOf(segments);
    }

    /**
     * The segment ids that {@code segments_info} lists more than once, in order.
     *
     * @return the repeated ids, empty when all are unique
     */
    public List<Integer> duplicateSegmentIds() {
      Set<Integer> seen = new HashSet<>();
      Set<Integer> repeated = new LinkedHashSet<>();
      for (Segment segment : segments) {
        if (!seen.add(segment.id())) {
          repeated.add(segment.id());
        }
      }
      return List.copyOf(repeated);
    }

    static Annotation fromJson(JsonNode node, String where, String source) {
      String imageId = CocoJsonNodes.requireIdText(node, "image_id", where, source);
      String fileName = CocoJsonNodes.requireText(node, "file_name", where, source);
      JsonNode infos = CocoJsonNodes.requireArray(node, "segments_info", where, source);
      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < infos.size(); i++) {
        JsonNode info = infos.get(i);
        Segment segment = plainSegment(info);
        // the checked path, with the field named in its message, for whatever the plain one refuses
        segments.add(
            segment != null ? segment : segment(info, where + ".segments_info[" + i + "]", source));
      }
      return new Annotation(imageId, fileName, segments);
    }

    /**
     * The segment of a well-formed entry (integer id in range and category, optional 0/1 or boolean
     * iscrowd, optional non-negative integer area, optional [x, y, w, h] of numbers with w, h >=
     * 0), the same as {@link #segment} gives, without building the entry's name; null for anything
     * else.
     */
    private static Segment plainSegment(JsonNode node) {
      JsonNode id = node.get("id");
      JsonNode category = node.get("category_id");
      if (!isInt(id)
          || id.intValue() < 0
          || id.intValue() >= Segment.ID_LIMIT
          || !isInt(category)) {
        return null;
      }
      JsonNode crowd = node.get("iscrowd");
      boolean isCrowd = false;
      if (crowd != null && !crowd.isNull()) {
        if (crowd.isBoolean()) {
          isCrowd = crowd.booleanValue();
        } else if (crowd.isIntegralNumber() && (crowd.intValue() == 0 || crowd.intValue() == 1)) {
          isCrowd = crowd.intValue() == 1;
        } else {
          return null;
        }
      }
      JsonNode area = node.get("area");
      long pixels = 0;
      if (area != null && !area.isNull()) {
        if (!area.isIntegralNumber() || !area.canConvertToLong() || area.longValue() < 0) {
          return null;
        }
        pixels = area.longValue();
      }
      JsonNode box = node.get("bbox");
      Segment.BoundingBox bbox = null;
      if (box != null && !box.isNull()) {
        if (!box.isArray() || box.size() != 4) {
          return null;
        }
        for (JsonNode value : box) {
          if (!value.isNumber()) {
            return null;
          }
        }
        if (!(box.get(2).doubleValue() >= 0) || !(box.get(3).doubleValue() >= 0)) {
          return null;
        }
        bbox =
            new Segment.BoundingBox(
                box.get(0).doubleValue(),
                box.get(1).doubleValue(),
                box.get(2).doubleValue(),
                box.get(3).doubleValue());
      }
      return new Segment(id.intValue(), category.intValue(), isCrowd, pixels, bbox);
    }

    private static boolean isInt(JsonNode value) {
      return value != null && value.canConvertToInt() && value.isIntegralNumber();
    }

    private static Segment segment(JsonNode node, String where, String source) {
      int id = CocoJsonNodes.requireInt(node, "id", where, source);
      if (id < 0 || id >= Segment.ID_LIMIT) {
        throw CocoJsonNodes.invalid(where + ".id is outside [0, 2^24): " + id, source);
      }
      long area = CocoJsonNodes.optionalLong(node, "area", where, source);
      if (area < 0) {
        throw CocoJsonNodes.invalid(where + ".area is negative: " + area, source);
      }
      return new Segment(
          id,
          CocoJsonNodes.requireInt(node, "category_id", where, source),
          CocoJsonNodes.optionalFlag(node, "iscrowd", where, source),
          area,
          bbox(node.get("bbox"), where, source));
    }

    private static Segment.BoundingBox bbox(JsonNode node, String where, String source) {
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isArray() || node.size() != 4) {
        throw CocoJsonNodes.invalid(where + ".bbox is not an [x, y, w, h] array", source);
      }
      for (JsonNode value : node) {
        if (!value.isNumber()) {
          throw CocoJsonNodes.invalid(where + ".bbox has a non-number", source);
        }
      }
      if (node.get(2).doubleValue() < 0 || node.get(3).doubleValue() < 0) {
        throw CocoJsonNodes.invalid(where + ".bbox has a negative width or height", source);
      }
      return new Segment.BoundingBox(
          node.get(0).doubleValue(),
          node.get(1).doubleValue(),
          node.get(2).doubleValue(),
          node.get(3).doubleValue());
    }
  }
}

package dev.segspark.evaluation.panoptic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The category table of a panoptic dataset, in JSON order. The order matters: panopticapi sums the
 * per-class scores in this order when it averages them.
 */
public final class PanopticCategories implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<PanopticCategory> list;
  private final Map<Integer, PanopticCategory> byId;

  /**
   * Creates a table from categories with unique ids.
   *
   * @param categories the categories, in report order
   */
  public PanopticCategories(List<PanopticCategory> categories) {
    this.list = List.copyOf(categories);
    Map<Integer, PanopticCategory> map = new LinkedHashMap<>();
    for (PanopticCategory category : list) {
      if (map.put(category.id(), category) != null) {
        throw new IllegalArgumentException(
            "Cannot create panoptic categories: category id listed twice (" + category.id() + ")");
      }
    }
    this.byId = map;
  }

  /**
   * Reads the {@code categories} list of a COCO panoptic JSON file.
   *
   * @param file a COCO panoptic JSON file (e.g. {@code panoptic_val2017.json})
   * @return the categories
   * @throws IllegalArgumentException if the file is not valid COCO panoptic JSON (message names the
   *     file)
   * @throws dev.segspark.evaluation.InvalidInputException if the file cannot be read (the reason
   *     and the path)
   */
  public static PanopticCategories load(Path file) {
    JsonNode root = CocoJsonNodes.readTree(file);
    String source = file.toString();
    return fromJson(CocoJsonNodes.requireArray(root, "categories", "", source), source);
  }

  /**
   * Parses a JSON array of COCO panoptic categories ({@code id}, {@code name}, {@code isthing},
   * optional {@code color}).
   *
   * @param array the {@code categories} array
   * @param source file name for error messages
   * @return the categories
   */
  static PanopticCategories fromJson(JsonNode array, String source) {
    List<PanopticCategory> categories = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      categories.add(parseCategory(array.get(i), "categories[" + i + "]", source));
    }
    return new PanopticCategories(categories);
  }

  /**
   * Returns the categories in table order.
   *
   * @return an immutable list
   */
  public List<PanopticCategory> list() {
    return list;
  }

  /**
   * Looks a category up by id.
   *
   * @param id category id
   * @return the category, or empty if the table has no such id
   */
  public Optional<PanopticCategory> find(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Tells whether the table has a category id.
   *
   * @param id category id
   * @return whether it is known
   */
  public boolean contains(int id) {
    return byId.containsKey(id);
  }

  /**
   * Returns the number of categories.
   *
   * @return the table size
   */
  public int size() {
    return list.size();
  }

  private static PanopticCategory parseCategory(JsonNode node, String where, String source) {
    int id = CocoJsonNodes.requireInt(node, "id", where, source);
    String name = CocoJsonNodes.requireText(node, "name", where, source);
    boolean isThing = CocoJsonNodes.requireFlag(node, "isthing", where, source);
    JsonNode color = node.get("color");
    if (color == null || color.isNull()) {
      return new PanopticCategory(id, name, isThing);
    }
    if (!color.isArray() || color.size() != 3) {
      throw CocoJsonNodes.invalid(where + ".color is not an [r, g, b] array", source);
    }
    for (JsonNode channel : color) {
      if (!channel.isIntegralNumber() || channel.intValue() < 0 || channel.intValue() > 255) {
        throw CocoJsonNodes.invalid(where + ".color has a channel outside [0, 255]", source);
      }
    }
    PanopticCategory.Color rgb =
        new PanopticCategory.Color(
            color.get(0).asInt(), color.get(1).asInt(), color.get(2).asInt());
    return new PanopticCategory(id, name, isThing, rgb);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PanopticCategories that && list.equals(that.list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    return "PanopticCategories" + list;
  }
}

package dev.segspark.evaluation.panoptic;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DETR's panoptic post-processing ({@code PostProcessPanoptic} in DETR's {@code
 * models/segmentation.py}) on one image.
 *
 * <ol>
 *   <li>Keep the queries whose most probable class (softmax over classes + "no object") is not "no
 *       object" and whose probability is strictly above the threshold (default 0.85).
 *   <li>Give each pixel to the kept query with the highest mask logit (ties: the lowest query).
 *   <li>First pass only: merge the kept queries of one stuff class into the first of them.
 *   <li>While some segment has at most 4 pixels, drop those queries and recompute step 2 on the
 *       others, without merging again (as DETR: the merged-away duplicates have area 0, so they are
 *       dropped and their pixels go back to the arg-max of the remaining masks).
 * </ol>
 *
 * <p>Segments are numbered from 0 in query order. Deviations from DETR: the class softmax is
 * computed in double (a probability within float rounding of the threshold may be kept
 * differently); the pixel arg-max compares mask logits, where DETR compares their float softmax,
 * which only differs when two logits round to the same probability; NaN logits are not supported.
 * Classes not in the thing set are stuff (DETR fails on a class missing from its map).
 */
public final class DetrPanopticPostProcessor implements Serializable {

  private static final long serialVersionUID = 1L;

  /** DETR's default class-probability threshold. */
  public static final double DEFAULT_THRESHOLD = 0.85;

  /** Segments with at most this many pixels are dropped. */
  public static final int MAX_DROPPED_AREA = 4;

  private final Set<Integer> thingClassIds;
  private final double threshold;

  /**
   * Creates a post-processor with DETR's default threshold.
   *
   * @param thingClassIds class indices that are things; all others are stuff
   */
  public DetrPanopticPostProcessor(Set<Integer> thingClassIds) {
    this(thingClassIds, DEFAULT_THRESHOLD);
  }

  /**
   * Creates a post-processor.
   *
   * @param thingClassIds class indices that are things; all others are stuff
   * @param threshold queries with class probability {@code <=} this are dropped, in [0, 1)
   */
  public DetrPanopticPostProcessor(Set<Integer> thingClassIds, double threshold) {
    if (!(threshold >= 0 && threshold < 1)) {
      throw new IllegalArgumentException(
          "Cannot create DETR post-processor: threshold must be in [0, 1) (" + threshold + ")");
    }
    this.thingClassIds = Set.copyOf(thingClassIds);
    this.threshold = threshold;
  }

  /**
   * Gives every pixel to one of a set of queries: the one with the highest mask logit, ties to the
   * first. Lets the arg-max run where the masks are (on the GPU for model inference).
   */
  @FunctionalInterface
  public interface PixelAssigner {
    /**
     * @param queries query indices, in increasing order, at least one
     * @return per pixel (row-major, {@code height * width}), the position in {@code queries} of the
     *     winning query
     */
    int[] assign(int[] queries);
  }

  /**
   * Turns one image's raw DETR output into a segment map and segments.
   *
   * @param raw the model output, masks at the wanted map size
   * @return the panoptic prediction
   */
  public DetrPanopticOutput process(DetrRawOutput raw) {
    return process(
        raw.logits(),
        raw.queries(),
        raw.logitsPerQuery(),
        raw.height(),
        raw.width(),
        queries -> assignPixels(raw, queries));
  }

  /**
   * Post-processes one image whose masks stay with {@code assigner}.
   *
   * @param logits {@code pred_logits} {@code [queries, classes + 1]}, row-major
   * @param queries number of queries
   * @param logitsPerQuery classes + 1
   * @param height segment map height
   * @param width segment map width
   * @param assigner the mask arg-max over a subset of queries
   * @return the panoptic prediction
   */
  public DetrPanopticOutput process(
      float[] logits,
      int queries,
      int logitsPerQuery,
      int height,
      int width,
      PixelAssigner assigner) {
    List<KeptQuery> kept = keepConfident(logits, queries, logitsPerQuery);
    int[] active = new int[kept.size()];
    for (int k = 0; k < active.length; k++) {
      active[k] = k;
    }
    int pixels = height * width;
    int[] map = assign(assigner, kept, active, pixels);
    mergeStuff(map, kept);
    long[] areas = areas(map, active.length);
    while (hasSmall(areas)) {
      active = withoutSmall(active, areas);
      map = assign(assigner, kept, active, pixels);
      areas = areas(map, active.length);
    }
    List<DetrSegment> segments = new ArrayList<>(active.length);
    for (int i = 0; i < active.length; i++) {
      KeptQuery query = kept.get(active[i]);
      segments.add(new DetrSegment(i, query.classId, query.isThing, query.score, areas[i]));
    }
    return new DetrPanopticOutput(width, height, map, segments);
  }

  private List<KeptQuery> keepConfident(float[] logits, int queries, int stride) {
    List<KeptQuery> kept = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      int offset = q * stride;
      int label = 0;
      for (int c = 1; c < stride; c++) {
        if (logits[offset + c] > logits[offset + label]) {
          label = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < stride; c++) {
        sum += Math.exp((double) logits[offset + c] - logits[offset + label]);
      }
      double score = 1.0 / sum;
      if (label != stride - 1 && score > threshold) {
        kept.add(new KeptQuery(q, label, thingClassIds.contains(label), score));
      }
    }
    return kept;
  }

  /** Arg-max of the active queries' masks; map values are positions in {@code active}. */
  private static int[] assign(
      PixelAssigner assigner, List<KeptQuery> kept, int[] active, int pixels) {
    if (active.length == 0) {
      return new int[pixels];
    }
    int[] queries = new int[active.length];
    for (int j = 0; j < active.length; j++) {
      queries[j] = kept.get(active[j]).query;
    }
    int[] map = assigner.assign(queries);
    if (map.length != pixels) {
      throw new IllegalStateException(
          "DETR pixel assignment returned " + map.length + " values for " + pixels + " pixels");
    }
    return map;
  }

  /** The CPU arg-max over float masks held in {@code raw}. */
  private static int[] assignPixels(DetrRawOutput raw, int[] queries) {
    int pixels = raw.height() * raw.width();
    int[] map = new int[pixels];
    float[] masks = raw.masks();
    float[] best = new float[pixels];
    System.arraycopy(masks, queries[0] * pixels, best, 0, pixels);
    for (int j = 1; j < queries.length; j++) {
      int base = queries[j] * pixels;
      for (int i = 0; i < pixels; i++) {
        if (masks[base + i] > best[i]) {
          best[i] = masks[base + i];
          map[i] = j;
        }
      }
    }
    return map;
  }

  /** Relabels every kept query of a stuff class to the first kept query of that class. */
  private static void mergeStuff(int[] map, List<KeptQuery> kept) {
    Map<Integer, Integer> firstOfClass = new HashMap<>();
    int[] target = new int[kept.size()];
    boolean merges = false;
    for (int k = 0; k < kept.size(); k++) {
      KeptQuery query = kept.get(k);
      int self = k;
      target[k] = query.isThing ? k : firstOfClass.computeIfAbsent(query.classId, c -> self);
      merges |= target[k] != k;
    }
    if (!merges) {
      return;
    }
    for (int i = 0; i < map.length; i++) {
      map[i] = target[map[i]];
    }
  }

  private static long[] areas(int[] map, int segments) {
    long[] areas = new long[segments];
    if (segments == 0) {
      return areas;
    }
    for (int id : map) {
      areas[id]++;
    }
    return areas;
  }

  private static boolean hasSmall(long[] areas) {
    for (long area : areas) {
      if (area <= MAX_DROPPED_AREA) {
        return true;
      }
    }
    return false;
  }

  private static int[] withoutSmall(int[] active, long[] areas) {
    int count = 0;
    int[] remaining = new int[active.length];
    for (int i = 0; i < active.length; i++) {
      if (areas[i] > MAX_DROPPED_AREA) {
        remaining[count++] = active[i];
      }
    }
    return Arrays.copyOf(remaining, count);
  }

  /** A query that passed the class threshold. */
  private record KeptQuery(int query, int classId, boolean isThing, double score) {}
}

package dev.segspark.udfs.model.head;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registered heads, by spec {@code adapter} name: the built-in ones below, then plug-ins found
 * with {@link ServiceLoader} (a jar on the driver's and executors' class path listing its class in
 * {@code META-INF/services/dev.segspark.udfs.model.head.Head}).
 */
public final class Heads {
  private static final Map<String, Head> HEADS = register();

  private Heads() {}

  private static Map<String, Head> register() {
    Map<String, Head> heads = new LinkedHashMap<>();
    for (Head head :
        List.of(new LogitsHead(), new DanetHead(), new DetrPanopticHead(), new LabelsHead())) {
      add(heads, head);
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (Head head :
        ServiceLoader.load(Head.class, loader == null ? Heads.class.getClassLoader() : loader)) {
      add(heads, head);
    }
    return Map.copyOf(heads);
  }

  private static void add(Map<String, Head> heads, Head head) {
    String name = canonical(head.name());
    Head before = heads.putIfAbsent(name, head);
    if (before != null && before.getClass() != head.getClass()) {
      throw new IllegalStateException(
          "Cannot register head "
              + head.getClass().getName()
              + ": adapter name '"
              + name
              + "' is taken by "
              + before.getClass().getName());
    }
  }

  /** Lower case, {@code _} read as {@code -} ({@code detr_panoptic} = {@code detr-panoptic}). */
  public static String canonical(String adapter) {
    return adapter.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The head of an adapter name (any case, {@code _} or {@code -}).
   *
   * @throws IllegalArgumentException naming the known adapters when none has this name
   */
  public static Head get(String adapter) {
    Head head = adapter == null ? null : HEADS.get(canonical(adapter));
    if (head == null) {
      throw new IllegalArgumentException(
          "unknown adapter '" + adapter + "' (expected one of " + String.join("|", names()) + ")");
    }
    return head;
  }

  /** The registered adapter names, sorted. */
  public static List<String> names() {
    return HEADS.keySet().stream().sorted().toList();
  }

  /** Whether {@code adapter} names a registered head. */
  public static boolean contains(String adapter) {
    return adapter != null && HEADS.containsKey(canonical(adapter));
  }
}

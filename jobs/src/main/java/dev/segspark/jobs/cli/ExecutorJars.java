package dev.segspark.jobs.cli;

import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpec.Engine;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need that a Spark distribution lacks, picked from a JVM class path
 * ({@code bin/segspark}'s: the module jars plus {@code jobs/target/classpath.txt}): segspark's
 * three modules and Jackson YAML with SnakeYAML always; DJL (API, JNA, PyTorch engine, JNI, native
 * libtorch) when the command runs a model; ONNX Runtime and its DJL engine only when that model is
 * an ONNX one (the PyTorch engine is there too: it holds the ONNX model's outputs for
 * post-processing). Driver-only jars (picocli, ECharts) and Spark's own stay behind. libtorch is
 * 112 MB and ONNX Runtime 137 MB, which every executor of every application fetches from the driver
 * and copies into its work folder: a command ships only what its executors load. Class folders on
 * the class path (a test or IDE run) are packed into temporary jars, since Spark ships only files.
 * {@link SparkOptions} sets them as {@code spark.jars} when the master is a cluster and
 * spark-submit did not start the JVM (spark-submit ships its application jar and {@code --jars}
 * itself).
 */
public final class ExecutorJars {
  /** The engines of a command that runs no model: none, so executors get no DJL jar. */
  public static final Set<Engine> NO_MODEL = Set.of();

  /** The engines of a command whose models may be of any engine (benchmark plans, the demo). */
  public static final Set<Engine> ANY_MODEL = Set.copyOf(EnumSet.allOf(Engine.class));

  /** File names ({@code artifactId-version[-classifier].jar}) of the jars every command needs. */
  private static final Pattern ALWAYS =
      Pattern.compile(
          "(segspark-(jobs|udfs|evaluation)|jackson-dataformat-yaml|snakeyaml)-\\d[^/]*\\.jar");

  /** The jars of DJL's PyTorch engine (with JNA): any model run needs them. */
  private static final Pattern PYTORCH =
      Pattern.compile("(jna|pytorch-(engine|jni)|pytorch-native-[a-z0-9-]+?)-\\d[^/]*\\.jar");

  /** ONNX Runtime and DJL's engine for it: only ONNX models need them. */
  private static final Pattern ONNX =
      Pattern.compile("(onnxruntime-engine|onnxruntime(_gpu)?)-\\d[^/]*\\.jar");

  /** DJL's API jar has a generic name: it is known by its Maven repository folder. */
  private static final Pattern DJL_API = Pattern.compile(".*/ai/djl/api/[^/]+/api-\\d[^/]*\\.jar");

  private ExecutorJars() {}

  /**
   * The jars of this JVM's class path ({@code java.class.path}) that executors need to run models
   * of any engine.
   */
  public static List<String> ofThisJvm() {
    return ofThisJvm(ANY_MODEL);
  }

  /**
   * The jars of this JVM's class path ({@code java.class.path}) that executors need to run models
   * of {@code engines} (empty: no model).
   */
  public static List<String> ofThisJvm(Set<Engine> engines) {
    return of(System.getProperty("java.class.path", ""), engines);
  }

  /** The engines whose jars executors need for {@code model} ({@code null}: {@link #NO_MODEL}). */
  public static Set<Engine> enginesFor(ModelSpec model) {
    return model == null ? NO_MODEL : Set.of(model.engine());
  }

  /**
   * The jars of {@code classPath} (entries separated by {@link File#pathSeparator}) that executors
   * need to run models of {@code engines}, in class path order, each once: jar files as they are,
   * class folders packed into jars in a temporary folder (removed when the JVM exits).
   */
  public static List<String> of(String classPath, Set<Engine> engines) {
    Set<String> out = new LinkedHashSet<>();
    Path packed = null;
    for (String entry : classPath.split(File.pathSeparator)) {
      Path p = Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath().normalize();
      if (Files.isRegularFile(p) && needed(p, engines)) {
        out.add(p.toString());
      } else if (!entry.isEmpty() && Files.isDirectory(p)) {
        packed = packed != null ? packed : tempFolder();
        out.add(pack(p, packed.resolve(jarName(p, out.size()))).toString());
      }
    }
    return List.copyOf(out);
  }

  /** Whether the jar file {@code jar} is one executors need to run models of {@code engines}. */
  static boolean needed(Path jar, Set<Engine> engines) {
    String name = jar.getFileName().toString();
    if (name.endsWith("-tests.jar") || name.endsWith("-sources.jar")) {
      return false;
    }
    if (ALWAYS.matcher(name).matches()) {
      return true;
    }
    if (engines.isEmpty()) {
      return false;
    }
    return PYTORCH.matcher(name).matches()
        || DJL_API.matcher(jar.toString().replace(File.separatorChar, '/')).matches()
        || (engines.contains(Engine.ONNXRUNTIME) && ONNX.matcher(name).matches());
  }

  /**
   * {@code existing} (a comma-separated {@code spark.jars}, may be empty or {@code null}) with
   * {@code jars} appended, each once.
   */
  static String append(String existing, List<String> jars) {
    Set<String> all = new LinkedHashSet<>();
    if (existing != null) {
      for (String j : existing.split(",")) {
        if (!j.isBlank()) {
          all.add(j.trim());
        }
      }
    }
    all.addAll(jars);
    return String.join(",", all);
  }

  private static Path tempFolder() {
    try {
      Path dir = Files.createTempDirectory("segspark-jars-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a folder for the executors' jars", e);
    }
  }

  /** e.g. {@code udfs-classes-2.jar} for {@code udfs/target/classes}, unique by position. */
  private static String jarName(Path folder, int index) {
    Path parent = folder.getParent();
    String module =
        parent != null && parent.getFileName().toString().equals("target")
            ? parent.getParent().getFileName() + "-"
            : "";
    return module + folder.getFileName() + "-" + index + ".jar";
  }

  private static Path pack(Path folder, Path jar) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(f -> !f.equals(folder)).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list class folder " + folder, e);
    }
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os)) {
      for (Path f : files) {
        String name = folder.relativize(f).toString().replace('\\', '/');
        boolean dir = Files.isDirectory(f); // folder entries too, as Maven's jars have them
        out.putNextEntry(new JarEntry(dir ? name + "/" : name));
        if (!dir) {
          Files.copy(f, out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot pack class folder " + folder + " into " + jar, e);
    }
    jar.toFile().deleteOnExit();
    return jar;
  }
}

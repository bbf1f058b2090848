package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.udfs.io.fs.FsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real HDFS (a NameNode and a DataNode on loopback, in this JVM) and on a store
 * without rename (as S3 or GCS): data, ground truth and outputs given as URIs give the same masks
 * and reports as local paths, {@code --resume} works there, and no partial or temp object is left.
 */
class HadoopStoreTest extends SparkTestBase {
  @TempDir static Path tmp;
  static MiniDFSCluster dfs;
  static String hdfs;
  static Path local;

  @BeforeAll
  static void start() throws IOException {
    dfs = HdfsClusterTest.startHdfs(tmp.resolve("dfs"));
    hdfs = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
    local = synth(tmp.resolve("data"), 6, 3, 64, 128);
    dfs.getFileSystem()
        .copyFromLocalFile(
            new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/data"));
  }

  @AfterAll
  static void stop() {
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  private static int cli(String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.code()).as(run.err()).isZero();
    return run.code();
  }

  private static void evaluate(String root, String predictions, String out) {
    cli(
        "evaluate",
        "--dataset",
        "cityscapes",
        "--data-root",
        root,
        "--predictions",
        predictions,
        "--out",
        out);
  }

  private static void label(String images, String out, String... more) {
    String[] args = {"label", "--model", "segformer-synth", "--images", images, "--out", out};
    cli(Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new));
  }

  @Test
  void evaluateWithEverythingOnHdfsEqualsLocal() {
    evaluate(local.toString(), local.resolve("predictions/labelIds").toString(), tmp + "/r");
    evaluate(hdfs + "/data", hdfs + "/data/predictions/labelIds", hdfs + "/out/r");

    Path remote = FsPaths.of(hdfs + "/out/r");
    assertThat(withoutRoot(reportWithoutRun(remote)))
        .isEqualTo(withoutRoot(reportWithoutRun(tmp.resolve("r"))));
    assertThat(reportWithoutRun(remote).toString()).contains(hdfs + "/data");
    assertThat(names(fileDigests(remote))).isEqualTo(names(fileDigests(tmp.resolve("r"))));
    assertThat(noTempFiles(remote)).isTrue();
  }

  @Test
  void labelOnHdfsWritesTheLocalMasksAndResumes() throws IOException {
    label(local.resolve("leftImg8bit/val").toString(), tmp + "/masks");
    label(hdfs + "/data/leftImg8bit/val", hdfs + "/out/masks");

    Path remote = FsPaths.of(hdfs + "/out/masks");
    Map<String, String> masks = fileDigests(remote);
    assertThat(masks).hasSize(fileDigests(tmp.resolve("masks")).size());
    assertThat(masks).containsAllEntriesOf(masksOnly(fileDigests(tmp.resolve("masks"))));
    assertThat(noTempFiles(remote)).isTrue();

    // a resumed run over a half-gone output: the missing mask is written again, the same bytes
    String mask = masksOnly(masks).keySet().iterator().next();
    Files.delete(remote.resolve(mask));
    label(hdfs + "/data/leftImg8bit/val", hdfs + "/out/masks", "--resume");
    assertThat(masksOnly(fileDigests(remote))).isEqualTo(masksOnly(masks));
  }

  @Test
  void synthLabelAndPanopticEvaluateOnHdfsEqualLocal() {
    for (String root : List.of(tmp + "/ps", hdfs + "/ps")) {
      cli("synth", "--out", root + "/data", "--images", "3", "--size", "64x128");
      cli(
          "label",
          "--model",
          "detr-panoptic-synth",
          "--images",
          root + "/data/leftImg8bit/val",
          "--out",
          root + "/labels");
      cli(
          "evaluate",
          "--task",
          "panoptic",
          "--gt-json",
          root + "/data/gtFine/cityscapes_panoptic_val.json",
          "--gt-dir",
          root + "/data/gtFine/cityscapes_panoptic_val",
          "--pred-json",
          root + "/labels/panoptic.json",
          "--pred-dir",
          root + "/labels/panoptic",
          "--out",
          root + "/pq");
    }
    Path remote = FsPaths.of(hdfs + "/ps");
    Path near = tmp.resolve("ps");
    assertThat(fileDigests(remote.resolve("data"))).isEqualTo(fileDigests(near.resolve("data")));
    assertThat(masksOnly(fileDigests(remote.resolve("labels"))))
        .isEqualTo(masksOnly(fileDigests(near.resolve("labels"))))
        .isNotEmpty();
    Map<String, Object> pq = panoptic(remote.resolve("pq"));
    assertThat(pq).isEqualTo(panoptic(near.resolve("pq")));
    assertThat(pq.toString()).contains("pq");
  }

  /** A panoptic report.json without the run facts and the input paths (all else equal). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> panoptic(Path out) {
    Map<String, Object> report = reportWithoutRun(out);
    report.values().removeIf(v -> v instanceof String s && s.contains("/ps/"));
    for (Object v : report.values()) {
      if (v instanceof Map<?, ?> m) {
        ((Map<String, Object>) m)
            .values()
            .removeIf(x -> x instanceof String s && s.contains("/ps/"));
      }
    }
    return report;
  }

  @Test
  void storeWithoutRenameGetsEveryObjectWrittenOnceInPlace() throws IOException {
    String out = "norename://" + tmp.toAbsolutePath() + "/nr";
    int before = NoRenameFileSystem.RENAMES.get();
    label(local.resolve("leftImg8bit/val").toString(), out + "/masks");
    label(local.resolve("leftImg8bit/val").toString(), tmp + "/masks-local");
    evaluate(local.toString(), local.resolve("predictions/labelIds").toString(), out + "/r");
    evaluate(local.toString(), local.resolve("predictions/labelIds").toString(), tmp + "/r-local");

    assertThat(NoRenameFileSystem.RENAMES.get()).isEqualTo(before);
    Path masks = tmp.resolve("nr/masks");
    assertThat(masksOnly(fileDigests(masks)))
        .isEqualTo(masksOnly(fileDigests(tmp.resolve("masks-local"))));
    assertThat(names(fileDigests(masks))).isEqualTo(names(fileDigests(tmp.resolve("masks-local"))));
    assertThat(reportWithoutRun(tmp.resolve("nr/r")))
        .isEqualTo(reportWithoutRun(tmp.resolve("r-local")));
    assertThat(noTempFiles(tmp.resolve("nr"))).isTrue();

    // --resume there too: a lost mask is written again, the others are kept
    Map<String, String> before2 = masksOnly(fileDigests(masks));
    Files.delete(masks.resolve(before2.keySet().iterator().next()));
    label(local.resolve("leftImg8bit/val").toString(), out + "/masks", "--resume");
    assertThat(masksOnly(fileDigests(masks))).isEqualTo(before2);
    assertThat(NoRenameFileSystem.RENAMES.get()).isEqualTo(before);
    assertThat(noTempFiles(tmp.resolve("nr"))).isTrue();
  }

  /** The dataset's root is where the data was read from: all else must be equal. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutRoot(Map<String, Object> report) {
    ((Map<String, Object>) report.get("dataset")).remove("root");
    return report;
  }

  /** File names, with Parquet part files' random names made equal. */
  private static java.util.Set<String> names(Map<String, String> digests) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    digests.keySet().forEach(k -> out.add(k.replaceAll("part-[0-9]+-[0-9a-f-]+", "part-N")));
    return out;
  }

  private static Map<String, String> masksOnly(Map<String, String> digests) {
    Map<String, String> out = new java.util.TreeMap<>(digests);
    out.keySet().removeIf(k -> !k.endsWith(".png"));
    return out;
  }

  private static boolean noTempFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> p.getFileName().toString()).noneMatch(n -> n.startsWith("."));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.segspark.jobs.cli;

import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.io.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training runs of {@code bin/segspark}'s class-data-sharing archives: in one JVM (started with
 * {@code -XX:ArchiveClassesAtExit}), the commands users run most, on tiny frames, so that the
 * archive holds the classes they load. Later runs map those classes from the archive instead of
 * loading and verifying them from the jars: seconds off every start.
 *
 * <p>Two archives, because mapping one costs in proportion to its size: {@code spark} (synth,
 * evaluate and label on a Spark session: Spark, Hadoop, Parquet, DJL and the model heads, about 130
 * MB) and {@code local} (the in-process evaluations, semantic and panoptic, that run without a
 * Spark session: about a third of that). {@code bin/segspark} picks the one its command needs.
 */
public final class ClassDataWarmup {
  private ClassDataWarmup() {}

  /**
   * @param args {@code spark} (the default) or {@code local}
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("segspark-cds-");
    try {
      if (args.length > 0 && args[0].equals("local")) {
        local(dir);
      } else {
        spark(dir);
      }
    } finally {
      Folders.deleteQuietly(dir);
    }
  }

  private static void spark(Path dir) {
    String data = dir.resolve("data").toString();
    run(
        "synth",
        "--master",
        "local[2]",
        "--out",
        data,
        "--images",
        "2",
        "--size",
        "64x128",
        "--with-predictions");
    run(
        "evaluate",
        "--master",
        "local[2]",
        "--dataset",
        "cityscapes",
        "--data-root",
        data,
        "--predictions",
        data + "/predictions/labelIds",
        "--out",
        dir.resolve("report").toString());
    run(
        "label",
        "--model",
        "segformer-synth",
        "--images",
        data + "/leftImg8bit/val",
        "--out",
        dir.resolve("labels").toString());
  }

  /** Semantic (two conventions) and panoptic evaluations of one tiny frame, no Spark session. */
  private static void local(Path dir) throws IOException {
    int w = 32;
    int h = 16;
    byte[] labels = new byte[w * h];
    byte[] predicted = new byte[w * h];
    byte[] rgbTruth = new byte[3 * w * h];
    byte[] rgbPredicted = new byte[3 * w * h];
    for (int i = 0; i < w * h; i++) {
      boolean left = i % w < w / 2;
      labels[i] = (byte) (left ? 7 : 26); // road, car (labelIds); trainIds 0 and 13
      predicted[i] = (byte) (i % w < w / 2 + 2 ? 7 : 26);
      rgbTruth[3 * i] = (byte) (left ? 1 : 2); // segment ids 1 and 2
      rgbPredicted[3 * i] = (byte) (i % w < w / 2 + 2 ? 1 : 2);
    }
    byte[] trainIds = labels.clone();
    byte[] predictedTrainIds = predicted.clone();
    for (int i = 0; i < w * h; i++) {
      trainIds[i] = (byte) (labels[i] == 7 ? 0 : 13);
      predictedTrainIds[i] = (byte) (predicted[i] == 7 ? 0 : 13);
    }
    Path data = dir.resolve("data");
    String id = "frankfurt_000000_000019";
    Path gt = Files.createDirectories(data.resolve("gtFine/val/frankfurt"));
    Files.write(gt.resolve(id + "_gtFine_labelIds.png"), Png.encodeGrey8(w, h, labels));
    Files.write(gt.resolve(id + "_gtFine_labelTrainIds.png"), Png.encodeGrey8(w, h, trainIds));
    Path ids = Files.createDirectories(data.resolve("predictions/labelIds/frankfurt"));
    Files.write(ids.resolve(id + "_pred_labelIds.png"), Png.encodeGrey8(w, h, predicted));
    Path train = Files.createDirectories(data.resolve("predictions/trainIds/frankfurt"));
    Files.write(train.resolve(id + "_pred_trainIds.png"), Png.encodeGrey8(w, h, predictedTrainIds));
    run(
        "evaluate",
        "--dataset",
        "cityscapes",
        "--data-root",
        data.toString(),
        "--predictions",
        data.resolve("predictions/labelIds").toString(),
        "--out",
        dir.resolve("report").toString());
    run(
        "evaluate",
        "--dataset",
        "cityscapes",
        "--data-root",
        data.toString(),
        "--convention",
        "mmseg",
        "--prediction-ids",
        "trainIds",
        "--predictions",
        data.resolve("predictions/trainIds").toString(),
        "--out",
        dir.resolve("report-mmseg").toString());
    Path panoptic = Files.createDirectories(dir.resolve("panoptic"));
    Files.createDirectories(panoptic.resolve("gt"));
    Files.createDirectories(panoptic.resolve("pred"));
    Files.write(panoptic.resolve("gt/a.png"), Png.encodeRgb(w, h, rgbTruth));
    Files.write(panoptic.resolve("pred/a.png"), Png.encodeRgb(w, h, rgbPredicted));
    String categories =
        "\"categories\": [{\"id\": 1, \"name\": \"road\", \"isthing\": 0},"
            + " {\"id\": 2, \"name\": \"car\", \"isthing\": 1}]";
    String segments =
        "{\"id\": 1, \"category_id\": 1, \"iscrowd\": 0, \"area\": %d},"
            + " {\"id\": 2, \"category_id\": 2, \"iscrowd\": 0, \"area\": %d}";
    String json =
        "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": %d, \"height\": %d}],"
            + " \"annotations\": [{\"image_id\": 1, \"file_name\": \"a.png\", \"segments_info\": ["
            + segments
            + "]}], "
            + categories
            + "}";
    Files.writeString(
        panoptic.resolve("gt.json"),
        String.format(json, w, h, w * h / 2, w * h / 2),
        StandardCharsets.UTF_8);
    Files.writeString(
        panoptic.resolve("pred.json"),
        String.format(json, w, h, (w / 2 + 2) * h, (w / 2 - 2) * h),
        StandardCharsets.UTF_8);
    run(
        "evaluate",
        "--task",
        "panoptic",
        "--gt-json",
        panoptic.resolve("gt.json").toString(),
        "--gt-dir",
        panoptic.resolve("gt").toString(),
        "--pred-json",
        panoptic.resolve("pred.json").toString(),
        "--pred-dir",
        panoptic.resolve("pred").toString(),
        "--out",
        dir.resolve("report-panoptic").toString());
  }

  private static void run(String... args) {
    int code = SegsparkCli.run(args);
    if (code != 0) {
      throw new IllegalStateException("segspark " + args[0] + " exited " + code);
    }
  }
}

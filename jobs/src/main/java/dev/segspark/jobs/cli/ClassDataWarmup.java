package dev.segspark.jobs.cli;

import dev.segspark.evaluation.io.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of {@code bin/segspark}'s class-data-sharing archive: in one JVM (started with
 * {@code -XX:ArchiveClassesAtExit}), the commands users run most, on two tiny synthetic frames, so
 * that the archive holds the classes they load (Spark, Hadoop, Parquet, the PNG codec, the metrics,
 * the report writers, DJL and the model heads). Later runs map those classes from the archive
 * instead of loading and verifying them from the jars: seconds off every start.
 */
public final class ClassDataWarmup {
  private ClassDataWarmup() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("segspark-cds-");
    try {
      String data = dir.resolve("data").toString();
      run("synth", "--out", data, "--images", "2", "--size", "64x128", "--with-predictions");
      run(
          "evaluate",
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
    } finally {
      Folders.deleteQuietly(dir);
    }
  }

  private static void run(String... args) {
    int code = SegsparkCli.run(args);
    if (code != 0) {
      throw new IllegalStateException("segspark " + args[0] + " exited " + code);
    }
  }
}

package dev.segspark.benchmarks;

import dev.segspark.jobs.cli.SegsparkCli;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/**
 * Listing and labelling many small images on HDFS (not a JMH benchmark: one long run). Starts a
 * real HDFS ({@link MiniHdfs}) in a child JVM, writes {@code --images} small PNGs there (copies of
 * 16 synthetic frames, 1000 a folder), then times the driver's listing of the images and {@code
 * segspark label --model segformer-synth} from HDFS into HDFS on {@code --master}, sampling this
 * driver JVM's used heap every 20 ms.
 *
 * <p>Usage: {@code HdfsLabelScale [--images N] [--size HxW] [--master URL] [--dir DIR]}; the
 * figures go to stdout. Run it with {@code bin/benchmark-main HdfsLabelScale ...}.
 */
public final class HdfsLabelScale {
  private HdfsLabelScale() {}

  public static void main(String[] args) throws Exception {
    int images = 20_000;
    String size = "32x64";
    String master = "local[2]";
    Path dir = Path.of("/tmp/segspark-hdfs-scale");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--images" -> images = Integer.parseInt(args[i + 1]);
        case "--size" -> size = args[i + 1];
        case "--master" -> master = args[i + 1];
        case "--dir" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("Cannot run: unknown option " + args[i]);
      }
    }
    Files.createDirectories(dir);
    Path portFile = dir.resolve("namenode.port");
    Files.deleteIfExists(portFile);
    Process hdfs =
        new ProcessBuilder(
                javaBin(),
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                MiniHdfs.class.getName(),
                dir.resolve("dfs").toString(),
                portFile.toString())
            .redirectOutput(dir.resolve("hdfs.log").toFile())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(portFile)) {
        if (!hdfs.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("HDFS did not start: see " + dir.resolve("hdfs.log"));
        }
        Thread.sleep(100);
      }
      String root = "hdfs://127.0.0.1:" + Files.readString(portFile).trim() + "/scale";
      run(images, size, master, root);
    } finally {
      hdfs.getOutputStream().close();
      if (!hdfs.waitFor(60, TimeUnit.SECONDS)) {
        hdfs.destroyForcibly();
      }
    }
  }

  private static void run(int images, String size, String master, String root) throws Exception {
    String data = root + "/data";
    long t0 = System.nanoTime();
    int written = writeImages(images, size, FsPaths.of(data + "/leftImg8bit/val"));
    double synth = seconds(t0);

    HeapSampler heap = HeapSampler.start();
    t0 = System.nanoTime();
    int listed = FsPaths.listFiles(FsPaths.of(data + "/leftImg8bit")).size();
    double listing = seconds(t0);
    long listingHeap = heap.peak();

    t0 = System.nanoTime();
    cli(
        "label",
        "--model",
        "segformer-synth",
        "--images",
        data + "/leftImg8bit/val",
        "--out",
        root + "/labels",
        "--master",
        master);
    double label = seconds(t0);
    heap.stop();
    int masks = FsPaths.listFiles(FsPaths.of(root + "/labels/ids")).size();

    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(
        "images %d (%s) on %s, master %s%n"
            + "%d images written into HDFS (16 writers): %.1f s%n"
            + "driver listing of %d files: %.2f s (%.0f files/s), peak used heap %d MiB%n"
            + "label from HDFS into HDFS: %.1f s, %.1f images/s, %d masks written%n"
            + "driver heap: peak used %d MiB of -Xmx %d MiB (sampled every 20 ms)%n",
        images,
        size,
        root,
        master,
        written,
        synth,
        listed,
        listing,
        listed / listing,
        listingHeap >> 20,
        label,
        images / label,
        masks,
        heap.peak() >> 20,
        max >> 20);
    if (masks != images) {
      throw new IllegalStateException("Expected " + images + " masks, found " + masks);
    }
  }

  /**
   * {@code images} PNGs under {@code dir}, 1000 a folder: 16 distinct synthetic frames (made with
   * {@code segspark synth} on local disk) copied round-robin by 16 writer threads; the ones already
   * there are kept, so a rerun writes only what is missing.
   */
  private static int writeImages(int images, String size, Path dir) throws Exception {
    Path local = Files.createTempDirectory("segspark-scale-");
    cli(
        "synth",
        "--out",
        local.toString(),
        "--images",
        "16",
        "--size",
        size,
        "--master",
        "local[2]");
    // the label run gets its own session on --master, not this local one
    for (scala.Option<SparkSession> made :
        List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (made.isDefined()) {
        made.get().stop();
      }
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    List<byte[]> frames = new ArrayList<>();
    try (var files = Files.walk(local.resolve("leftImg8bit"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
        frames.add(Files.readAllBytes(f));
      }
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < images; i++) {
        Path target = dir.resolve(String.format("f%02d/img_%06d.png", i / 1000, i));
        byte[] bytes = frames.get(i % frames.size());
        done.add(
            pool.submit(
                () -> {
                  if (!Files.exists(target)) {
                    dev.segspark.evaluation.io.AtomicFiles.write(target, bytes);
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
      dev.segspark.evaluation.io.Folders.deleteQuietly(local);
    }
    return images;
  }

  private static void cli(String... args) {
    int code = SegsparkCli.run(args);
    if (code != 0) {
      throw new IllegalStateException("segspark " + String.join(" ", args) + " exited " + code);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** The highest used heap seen by a sampling daemon thread. */
  private static final class HeapSampler implements Runnable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    static HeapSampler start() {
      HeapSampler s = new HeapSampler();
      Thread t = new Thread(s, "heap-sampler");
      t.setDaemon(true);
      s.threads.add(t);
      t.start();
      return s;
    }

    @Override
    public void run() {
      while (running) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peak() {
      return peak.get();
    }

    void stop() {
      running = false;
    }
  }
}

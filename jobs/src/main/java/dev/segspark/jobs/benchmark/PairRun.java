package dev.segspark.jobs.benchmark;

/**
 * One timed run of one model on one dataset (a row of {@code results.parquet}).
 *
 * @param model model label
 * @param dataset dataset label
 * @param run 1-based run number
 * @param images images evaluated
 * @param seconds wall time of the job, listing to report
 * @param imagesPerSecond {@code images / seconds}
 * @param forwardImagesPerSecond images per second of forward-pass time
 * @param decodeMillis decode time per image (task time)
 * @param preprocessMillis pre-processing time per image
 * @param inferenceMillis forward-pass time per image
 * @param postprocessMillis post-processing time per image
 * @param metricsMillis counting time per image
 * @param p50Millis per-image latency (the five stages of one image), median
 * @param p95Millis per-image latency, 95th percentile
 * @param p99Millis per-image latency, 99th percentile
 * @param mIoU the report's mIoU
 * @param aAcc the report's pixel accuracy
 */
public record PairRun(
    String model,
    String dataset,
    int run,
    long images,
    double seconds,
    double imagesPerSecond,
    double forwardImagesPerSecond,
    double decodeMillis,
    double preprocessMillis,
    double inferenceMillis,
    double postprocessMillis,
    double metricsMillis,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    double mIoU,
    double aAcc) {}

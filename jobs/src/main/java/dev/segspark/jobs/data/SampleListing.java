package dev.segspark.jobs.data;

import dev.segspark.evaluation.report.ImageError;
import dev.segspark.udfs.partition.Sample;
import java.util.List;

/**
 * What a dataset listing found on the driver.
 *
 * @param samples the samples to evaluate, in ground-truth order (a missing prediction is a {@code
 *     null} there, reported by the job)
 * @param errors ids that cannot be evaluated as listed (several predictions for one ground truth,
 *     several ground truths for one id), one error each; the job fails on them or records them
 */
public record SampleListing(List<Sample> samples, List<ImageError> errors) {
  public SampleListing {
    samples = List.copyOf(samples);
    errors = List.copyOf(errors);
  }

  /** Every id listed: samples and errors. */
  public int ids() {
    return samples.size() + errors.size();
  }
}

package dev.segspark.jobs.actions;

/** A job stopped because of bad input under {@code --on-error fail}; the CLI exits 1. */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }
}

package dev.segspark.jobs.actions;

import java.util.Locale;

/** What a job does with an image it cannot process. */
public enum OnError {
  /** Stop the job with a non-zero exit, naming the image(s). */
  FAIL,
  /** Record the image under {@code errors} and carry on. */
  SKIP;

  /** Parses {@code fail} / {@code skip}. */
  public static OnError parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot use --on-error: expected fail|skip (" + s + ")");
    }
  }
}

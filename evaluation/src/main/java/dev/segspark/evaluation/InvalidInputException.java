package dev.segspark.evaluation;

/**
 * Bad input data: an unreadable or inconsistent file, an id outside the label table, a size
 * mismatch. The message names the file and the reason; {@link #source()} is the offending file or
 * sample, so a job can record it under {@code errors} and carry on ({@code --on-error skip}).
 */
public class InvalidInputException extends RuntimeException {
  private final String source;

  public InvalidInputException(String source, String message) {
    super(message);
    this.source = source;
  }

  public InvalidInputException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
  }

  /** The file (or sample name) the problem was found in. */
  public String source() {
    return source;
  }
}

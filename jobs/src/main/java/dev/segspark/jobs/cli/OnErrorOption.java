package dev.segspark.jobs.cli;

import dev.segspark.jobs.actions.OnError;
import picocli.CommandLine.Option;

/** {@code --on-error}, for the commands that read user images (evaluate, label). */
final class OnErrorOption {
  @Option(
      names = "--on-error",
      paramLabel = "fail|skip",
      defaultValue = "fail",
      converter = Converters.OnErrorConverter.class,
      description =
          "What to do with an image that cannot be read or scored: fail the job (exit 1), or"
              + " record it under 'errors' in the report and carry on (default: ${DEFAULT-VALUE})")
  OnError onError;
}

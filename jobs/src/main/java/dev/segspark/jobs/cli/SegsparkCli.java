package dev.segspark.jobs.cli;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.Terminal;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;

/**
 * {@code segspark}: the command line. Exit codes: 0 success, 1 failure, 2 bad usage. On clusters
 * run it through {@code spark-submit --class dev.segspark.jobs.cli.SegsparkCli}.
 */
@Command(
    name = "segspark",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    version = "segspark 0.1.0",
    description = {
      "Distributed semantic- and panoptic-segmentation evaluation and dataset labelling on"
          + " Apache Spark.",
      "",
      "Run 'segspark COMMAND --help' for a command's options and examples.",
      ""
    },
    subcommands = {
      EvaluateCommand.class,
      LabelCommand.class,
      SynthCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  segspark demo",
      "  segspark synth --out /tmp/cs --images 8 --with-predictions",
      "  segspark evaluate --dataset cityscapes --data-root /tmp/cs \\",
      "      --predictions /tmp/cs/predictions/labelIds --out /tmp/cs-report",
      "  segspark label --model segformer-synth --images /tmp/cs/leftImg8bit/val \\",
      "      --out /tmp/cs-masks --format color",
      "",
      "Exit codes: 0 success, 1 failure, 2 bad usage."
    })
public final class SegsparkCli {
  /** Exit code for a failed run. */
  public static final int FAILURE = 1;

  /** Exit code for bad usage. */
  public static final int USAGE = 2;

  /** Runs a command line and returns its exit code (never exits the JVM). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SegsparkCli());
    // picocli's AUTO looks at stdout only; usage errors go to stderr, which may be a file
    cli.setColorScheme(Help.defaultColorScheme(Terminal.stderr() ? Help.Ansi.AUTO : Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(SegsparkCli::onError);
    cli.setExitCodeExceptionMapper(e -> USAGE);
    return cli.execute(args);
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof IllegalArgumentException) { // arguments that make no sense: bad usage
      err.println("segspark: " + e.getMessage());
      err.println("Try 'segspark " + cmd.getCommandName() + " --help'.");
      return USAGE;
    }
    if (e instanceof InvalidInputException || e instanceof JobFailedException) {
      err.println("segspark: " + e.getMessage());
    } else {
      err.println("segspark: " + cmd.getCommandName() + " failed: " + e);
      e.printStackTrace(err);
    }
    return FAILURE;
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args));
  }
}

package dev.segspark.jobs.cli;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.report.ReportEscapes;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.Preload;
import dev.segspark.jobs.actions.Terminal;
import dev.segspark.udfs.io.fs.FsPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;

/**
 * {@code segspark}: the command line. On clusters run it through {@code spark-submit --class
 * dev.segspark.jobs.cli.SegsparkCli}.
 *
 * <p>Exit codes, by one rule: 2 when the command line itself is wrong, 1 when a well-formed command
 * meets data or a filesystem it cannot work with.
 *
 * <ul>
 *   <li>0: success.
 *   <li>2, bad usage ({@link IllegalArgumentException}): an unknown, missing or contradictory
 *       option, a value out of range ({@code --partitions 0}), a path the user typed that does not
 *       exist or is the wrong kind of thing (a file given as {@code --out}, a missing {@code
 *       --predictions} folder or data root or split), a model spec or label table that does not
 *       load or does not fit the dataset. These are found before the Spark session starts.
 *   <li>1, failure ({@link InvalidInputException}, {@link JobFailedException}): what is found by
 *       reading the data: an empty dataset, two predictions for one ground truth, outputs of two
 *       images that would collide, corrupt images, a folder or {@code --out} without permission, a
 *       link loop; and, under {@code --on-error skip}, every image skipped. Only the message is
 *       printed. Any other exception also exits 1, with its stack trace (a bug to report).
 * </ul>
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
    // picocli otherwise looks for Groovy's Closure class: a miss that opens every jar on the class
    // path (about 0.15 s with Spark's 230 jars), for annotations segspark does not use
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    if (runsInProcess(args)) {
      Preload.start();
    }
    CommandLine cli = commandLine(args.length > 0 ? args[0] : null);
    // every path option takes a local path or any Hadoop-FS URI (hdfs://, s3a://, ...); executors
    // on a cluster run in their own working folders: a relative local path the user typed means
    // the same file there only once made absolute against the driver's working folder
    cli.registerConverter(Path.class, SegsparkCli::absolute);
    // picocli's AUTO looks at stdout only; usage errors go to stderr, which may be a file
    cli.setColorScheme(Help.defaultColorScheme(Terminal.stderr() ? Help.Ansi.AUTO : Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(SegsparkCli::onError);
    cli.setExitCodeExceptionMapper(e -> USAGE);
    return cli.execute(args);
  }

  /** The commands, in the order the root's help lists them ({@code help} last). */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("evaluate", EvaluateCommand::new);
    commands.put("label", LabelCommand::new);
    commands.put("synth", SynthCommand::new);
    commands.put("benchmark", BenchmarkCommand::new);
    commands.put("compare", CompareCommand::new);
    commands.put("demo", DemoCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    return commands;
  }

  /** The whole command line: the root and every command. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line for a run whose first argument is {@code first}: the root with that command
   * alone when it names one (picocli builds each command's model by reflection, about 10 ms a
   * command at start-up), else with every command (the root's help, {@code help}, a typo).
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new SegsparkCli());
    boolean one = first != null && COMMANDS.containsKey(first) && !first.equals("help");
    COMMANDS.forEach(
        (name, command) -> {
          if (!one || name.equals(first)) {
            cli.addSubcommand(name, command.get());
          }
        });
    return cli;
  }

  /**
   * An evaluate without {@code --master} or {@code --model}: it runs in this JVM without a Spark
   * session (see {@link dev.segspark.jobs.actions.Runner}), its main thread alone until the images
   * are read, so start-up work can go ahead on another thread ({@link Preload}).
   */
  static boolean runsInProcess(String... args) {
    if (args.length == 0 || !args[0].equals("evaluate") || SparkOptions.masterFromEnvironment()) {
      return false;
    }
    for (String a : args) {
      // a path on a Hadoop filesystem (hdfs://...) makes the run start a Spark session after all
      if (a.matches("--(master|model|help|version)(=.*)?") || a.equals("-h") || a.contains("://")) {
        return false;
      }
    }
    return true;
  }

  /** A local path made absolute; empty text and URIs ({@code hdfs://...}) as they are. */
  static Path absolute(String text) {
    boolean uri = text.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
    return text.isEmpty() || uri ? FsPaths.of(text) : Path.of(text).toAbsolutePath();
  }

  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof IllegalArgumentException) { // the command line is wrong: bad usage
      err.println(message(e.getMessage()));
      err.println("Try 'segspark " + cmd.getCommandName() + " --help'.");
      return USAGE;
    }
    if (e instanceof InvalidInputException || e instanceof JobFailedException) {
      err.println(message(e.getMessage()));
    } else {
      err.println(message(cmd.getCommandName() + " failed: " + e));
      e.printStackTrace(err);
    }
    return FAILURE;
  }

  /**
   * A message for the terminal: file names and ids come from the data, so each line's control
   * characters are shown as backslash-u escapes instead of reaching the terminal as escape
   * sequences.
   */
  static String message(String text) {
    StringBuilder out = new StringBuilder("segspark: ");
    String[] lines = String.valueOf(text).split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(i == 0 ? "" : System.lineSeparator()).append(ReportEscapes.console(lines[i]));
    }
    return out.toString();
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(run(args));
  }
}

package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.segspark.evaluation.image.Png;
import dev.segspark.jobs.cli.SegsparkCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the command line: 0 success, 1 failure, 2 bad usage. */
class CliTest extends SparkTestBase {
  @TempDir Path tmp;

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  @Test
  void synthThenEvaluateSucceeds() {
    Path data = tmp.resolve("d");
    assertThat(
            cli(
                    "synth",
                    "--out",
                    data.toString(),
                    "--images",
                    "4",
                    "--size",
                    "32x64",
                    "--with-predictions")
                .code())
        .isZero();
    CliRun run =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            data.toString(),
            "--predictions",
            data.resolve("predictions/labelIds").toString(),
            "--out",
            tmp.resolve("r").toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("road").contains("category IoU").contains("Reports: ");
    assertThat(tmp.resolve("r/report.json")).exists();
  }

  @Test
  void badUsageExitsTwo() {
    assertThat(cli("evaluate", "--dataset", "cityscapes").code()).isEqualTo(2);
    CliRun bad =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            tmp.toString(),
            "--predictions",
            tmp.toString(),
            "--out",
            tmp.toString(),
            "--convention",
            "nope");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown name (nope)");
    assertThat(cli("synth", "--out", tmp.toString(), "--images", "2", "--size", "big").code())
        .isEqualTo(2);
    CliRun noRoot =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            tmp.resolve("nowhere").toString(),
            "--predictions",
            tmp.toString(),
            "--out",
            tmp.toString());
    assertThat(noRoot.code()).isEqualTo(2);
    assertThat(noRoot.err()).contains("data root does not exist");
  }

  @Test
  void badInputExitsOne() throws Exception {
    Path data = tmp.resolve("d");
    cli(
        "synth",
        "--out",
        data.toString(),
        "--images",
        "3",
        "--size",
        "32x64",
        "--with-predictions");
    Path pred =
        data.resolve("predictions/labelIds/munster/munster_000000_000019_pred_labelIds.png");
    Files.writeString(pred, "garbage");
    CliRun run =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            data.toString(),
            "--predictions",
            data.resolve("predictions/labelIds").toString(),
            "--out",
            tmp.resolve("r").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains(pred.toString()).contains("--on-error skip");
  }

  @Test
  void helpListsTheCommands() {
    CliRun run = cli("--help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("evaluate").contains("label").contains("synth").contains("demo");
    assertThat(cli("evaluate", "--help").out()).contains("--prediction-ids").contains("--on-error");
  }

  @Test
  void labelAndEvaluateWithTheShippedModelByName() {
    Path data = tmp.resolve("m");
    assertThat(cli("synth", "--out", data.toString(), "--images", "3").code()).isZero();
    CliRun label =
        cli(
            "label",
            "--model",
            "segformer-synth",
            "--images",
            data.resolve("leftImg8bit/val").toString() + "/**/*_leftImg8bit.png",
            "--out",
            tmp.resolve("masks").toString(),
            "--format",
            "ids,color",
            "--master",
            "local[2]");
    assertThat(label.code()).as(label.err()).isZero();
    assertThat(label.out()).contains("Labelled 3 of 3 images (0 resumed, 0 failed)");
    assertThat(tmp.resolve("masks/color/lindau/lindau_000000_000019_leftImg8bit.png"))
        .isRegularFile();
    CliRun eval =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            data.toString(),
            "--model",
            "segformer-synth",
            "--out",
            tmp.resolve("r").toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("road").contains("mean");
  }

  @Test
  void modelUsageErrorsExitTwoAndBadModelsExitOne() {
    Path data = tmp.resolve("u");
    assertThat(cli("synth", "--out", data.toString(), "--images", "1").code()).isZero();
    CliRun both =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            data.toString(),
            "--model",
            "segformer-synth",
            "--predictions",
            data.toString(),
            "--out",
            tmp.resolve("r").toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("one of --predictions or --model");
    CliRun noSpec =
        cli(
            "label",
            "--model",
            tmp.resolve("nope.yaml").toString(),
            "--images",
            data.toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(noSpec.code()).isEqualTo(2);
    assertThat(noSpec.err()).contains("nope.yaml").contains("no such file");
    CliRun badFormat =
        cli(
            "label",
            "--model",
            "segformer-synth",
            "--images",
            data.toString(),
            "--out",
            tmp.resolve("o").toString(),
            "--format",
            "jpeg");
    assertThat(badFormat.code()).isEqualTo(2);
    assertThat(badFormat.err()).contains("unknown --format jpeg");
  }

  /** Each command's help, then the root's (its command list shows every summary). */
  private static List<CommandLine> commands() {
    CommandLine root = SegsparkCli.commandLine();
    List<CommandLine> all = new ArrayList<>();
    for (CommandLine sub : root.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help")) {
        all.add(sub);
      }
    }
    all.add(root);
    return all;
  }

  @Test
  void helpIsWholeParagraphsWithExamplesThatParse() {
    for (CommandLine cmd : commands()) {
      String name = cmd.getCommandName();
      String[] description = cmd.getCommandSpec().usageMessage().description();
      assertThat(description[0]).as(name + " summary").endsWith(".").doesNotContain("\n");
      for (String paragraph : description) {
        // one string per paragraph, wrapped by picocli: never a line cut mid-sentence
        assertThat(paragraph).as(name + " description").matches("|(?s).*[.:]");
      }
      List<String> footer = List.of(cmd.getCommandSpec().usageMessage().footer());
      assertThat(footer).as(name).contains("Examples:");
      List<String> examples = examples(footer);
      assertThat(examples).as(name + " examples").isNotEmpty();
      for (String example : examples) {
        String[] args = example.replace("'", "").split("\\s+");
        assertThatCode(() -> SegsparkCli.commandLine().parseArgs(args))
            .as(example)
            .doesNotThrowAnyException();
      }
      CliRun help = name.equals("segspark") ? cli("--help") : cli(name, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("Examples:");
      for (String line : help.out().split("\\R")) {
        assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(80);
      }
    }
    String list = cli("--help").out().replaceAll("\\s+", " ");
    for (CommandLine cmd : commands()) {
      assertThat(list).contains(cmd.getCommandSpec().usageMessage().description()[0]);
    }
  }

  /** Example lines joined across trailing backslashes, without the leading "segspark". */
  private static List<String> examples(List<String> footer) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : footer) {
      String t = line.strip();
      if (current == null && t.startsWith("segspark ")) {
        assertThat(line.length()).as("unwrapped example line: " + line).isLessThanOrEqualTo(78);
        current = new StringBuilder(t.substring("segspark ".length()));
      } else if (current != null) {
        assertThat(line.length()).as("unwrapped example line: " + line).isLessThanOrEqualTo(78);
        current.append(' ').append(t);
      } else {
        continue;
      }
      if (current.toString().endsWith("\\")) {
        current.setLength(current.length() - 1);
      } else {
        out.add(current.toString().strip());
        current = null;
      }
    }
    return out;
  }

  @Test
  void onErrorIsOfferedOnlyWhereImagesAreRead() {
    assertThat(cli("evaluate", "--help").out()).contains("--on-error");
    assertThat(cli("label", "--help").out()).contains("--on-error");
    assertThat(cli("synth", "--help").out()).doesNotContain("--on-error");
    assertThat(cli("demo", "--help").out()).doesNotContain("--on-error");
    CliRun synth = cli("synth", "--out", tmp.toString(), "--images", "1", "--on-error", "skip");
    assertThat(synth.code()).isEqualTo(2);
    assertThat(synth.err()).contains("Unknown options: '--on-error', 'skip'");
  }

  @Test
  void anUnknownModelNameListsTheShippedModels() {
    CliRun run =
        cli("label", "--model", "segformer", "--images", tmp.toString(), "--out", tmp.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("Cannot load model spec segformer: no such file, nor a shipped model name")
        .contains("danet-synth, detr-panoptic-synth, segformer-synth");
  }

  /** Output captured to a file or a pipe is plain text: no ANSI colour escapes anywhere. */
  @Test
  void capturedOutputHasNoEscapeSequences() {
    Path data = tmp.resolve("plain");
    List<CliRun> runs = new ArrayList<>();
    runs.add(cli("--help"));
    for (CommandLine cmd : commands()) {
      runs.add(cli(cmd.getCommandName(), "--help"));
    }
    CliRun bogus = cli("evaluate", "--bogus");
    runs.add(bogus);
    runs.add(cli("label", "--model", "nope", "--images", tmp.toString(), "--out", tmp.toString()));
    runs.add(cli("synth", "--out", data.toString(), "--images", "2", "--size", "32x64"));
    runs.add(
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            data.toString(),
            "--predictions",
            tmp.resolve("none").toString(),
            "--out",
            tmp.resolve("r").toString()));
    for (CliRun run : runs) {
      assertThat(run.out() + run.err()).doesNotContain("\u001b").doesNotContain("\r");
    }
    assertThat(bogus.err()).contains("Unknown option: '--bogus'").contains("Usage:");
  }

  private Path synthWithPredictions(String name, int images) {
    Path data = tmp.resolve(name);
    CliRun synth =
        cli(
            "synth",
            "--out",
            data.toString(),
            "--images",
            String.valueOf(images),
            "--size",
            "32x64",
            "--with-predictions");
    assertThat(synth.code()).as(synth.err()).isZero();
    return data;
  }

  private CliRun evaluate(Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--dataset",
                "cityscapes",
                "--data-root",
                data.toString(),
                "--predictions",
                data.resolve("predictions/labelIds").toString(),
                "--out",
                data.resolve("report").toString()));
    args.addAll(List.of(more));
    return cli(args.toArray(new String[0]));
  }

  @Test
  void twoPredictionsForOneGroundTruthExitOneAndSkipEvaluatesTheRest() throws Exception {
    Path data = synthWithPredictions("two", 3);
    Path pred = data.resolve("predictions/labelIds/lindau/lindau_000000_000019_pred_labelIds.png");
    Path copy = data.resolve("predictions/labelIds/copies").resolve(pred.getFileName());
    Files.createDirectories(copy.getParent());
    Files.copy(pred, copy);
    CliRun fail = evaluate(data);
    assertThat(fail.code()).as(fail.err()).isEqualTo(1);
    assertThat(fail.err())
        .contains("several predictions match lindau_000000_000019")
        .contains(copy.toString())
        .doesNotContain("--help");
    CliRun skip = evaluate(data, "--on-error", "skip");
    assertThat(skip.code()).as(skip.err()).isZero();
    assertThat(data.resolve("report/report.json"))
        .content()
        .contains("several predictions match lindau_000000_000019")
        .contains("\"images\" : 2");
  }

  @Test
  void skippingEveryImageExitsOne() throws Exception {
    Path data = synthWithPredictions("none", 3);
    try (var files = Files.walk(data.resolve("predictions/labelIds"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
    CliRun run = evaluate(data, "--on-error", "skip");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("All 3 images were skipped").contains("no prediction found");
  }

  @Test
  void aLinkLoopExitsOneNamingTheLink() throws Exception {
    Path data = synthWithPredictions("loop", 1);
    Path link =
        Files.createSymbolicLink(
            data.resolve("predictions/labelIds/again"), data.resolve("predictions"));
    CliRun run = evaluate(data);
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("symbolic link loop").contains(link.toString());
    assertThat(run.err()).doesNotContain("\tat "); // a message, not a stack trace
  }

  @Test
  void malformedPanopticJsonIsADataErrorExitingOne() throws Exception {
    Path gt = Files.writeString(tmp.resolve("gt.json"), "{\"images\": []}");
    Path pngs = Files.createDirectories(tmp.resolve("pngs"));
    CliRun run =
        cli(
            "evaluate",
            "--task",
            "panoptic",
            "--gt-json",
            gt.toString(),
            "--gt-dir",
            pngs.toString(),
            "--pred-json",
            gt.toString(),
            "--pred-dir",
            pngs.toString(),
            "--out",
            tmp.resolve("pq").toString());
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("\"annotations\" is missing").contains(gt.toString());
  }

  @Test
  void imagesWhoseOutputsCollideFailBeforeAnyTaskListingThem() throws Exception {
    Path images = Files.createDirectories(tmp.resolve("photos"));
    Files.write(images.resolve("a.png"), Png.encodeRgb(64, 32, new byte[64 * 32 * 3]));
    Files.copy(images.resolve("a.png"), images.resolve("a.jpg")); // content does not matter
    Files.copy(images.resolve("a.png"), images.resolve("b.png"));
    Path out = tmp.resolve("masks");
    CliRun run =
        cli(
            "label",
            "--model",
            "segformer-synth",
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--format",
            "ids,overlay");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("1 group(s) of images would write the same output file")
        .contains("a.jpg, a.png -> ids/a.png")
        .doesNotContain("b.png");
    assertThat(out).doesNotExist(); // nothing was written: no task ran
  }

  /** Paths come from the data: an escape sequence in one is shown, not sent to the terminal. */
  @Test
  void controlCharactersInMessagesAreShownNotSent() {
    String root = tmp.resolve("evil\u001b[2J\u0007name").toString();
    CliRun run =
        cli(
            "evaluate",
            "--dataset",
            "cityscapes",
            "--data-root",
            root,
            "--predictions",
            tmp.toString(),
            "--out",
            tmp.resolve("r").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .doesNotContain("\u001b")
        .doesNotContain("\u0007")
        .contains("evil\\u001B[2J\\u0007name");
  }
}

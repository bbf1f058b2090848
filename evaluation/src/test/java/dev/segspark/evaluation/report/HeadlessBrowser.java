package dev.segspark.evaluation.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads an HTML file in Debian's headless Chromium and returns the DOM after its scripts ran, with
 * the console messages. A console error (a {@code console.error} call, an uncaught exception, a
 * blocked fetch or any other message the browser itself logs), an {@code alert}, a non-zero exit or
 * a hang fails the caller's test with an {@link AssertionError}; so does a machine without {@code
 * chromium} (never a skip: {@code .ci/run} installs it).
 *
 * <p>How: the page is copied next to itself with a small first script that tags each console
 * method's output with its level and turns {@code alert}, {@code confirm} and {@code prompt} into
 * console errors; Chromium runs it with {@code --headless=new --dump-dom
 * --virtual-time-budget=10000 --enable-logging=stderr --v=0}, which prints the serialised DOM on
 * stdout and each console message on stderr as {@code [...:INFO:CONSOLE:<line>] "<text>", source:
 * <url> (<line>)}.
 */
public final class HeadlessBrowser {
  /** Virtual milliseconds the page gets to run its timers and draw before the DOM is dumped. */
  public static final int VIRTUAL_TIME_MS = 10_000;

  private static final long TIMEOUT_SECONDS = 120;

  private static final String HOOK =
      """
      <script>(function () {
        var tag = function (method, level) {
          var original = console[method];
          console[method] = function () {
            var parts = Array.prototype.map.call(arguments, String);
            original.call(console, '[' + level + '] ' + parts.join(' '));
          };
        };
        tag('log', 'log'); tag('info', 'log'); tag('debug', 'log');
        tag('warn', 'warning'); tag('error', 'error');
        ['alert', 'confirm', 'prompt'].forEach(function (name) {
          window[name] = function (m) { console.error(name + '() called: ' + m); };
        });
        window.addEventListener('unhandledrejection', function (e) {
          console.error('unhandled rejection: ' + e.reason);
        });
      })();</script>
      """;

  private static final Pattern CONSOLE =
      Pattern.compile(
          "\\[[^\\]\\n]*:CONSOLE[:(](\\d+)\\)?\\] \"(.*?)\", source: ([^\\n]*?) \\((\\d+)\\)\\n",
          Pattern.DOTALL);

  private static final Pattern LEVEL =
      Pattern.compile("^\\[(log|warning|error)\\] ", Pattern.DOTALL);

  private HeadlessBrowser() {}

  /**
   * A console message.
   *
   * @param level {@code log}, {@code warning} or {@code error}; messages the browser logs itself
   *     (uncaught exceptions, blocked loads) are errors
   * @param text the message
   * @param source the script URL and line
   */
  public record Console(String level, String text, String source) {}

  /**
   * A loaded page.
   *
   * @param dom the serialised DOM after the scripts ran
   * @param console every console message, in order (none of level error: those fail the load)
   */
  public record Page(String dom, List<Console> console) {
    private static final Pattern SCRIPT =
        Pattern.compile("(<script\\b[^>]*>).*?(</script>)", Pattern.DOTALL);

    /** The DOM without the text of its script elements (the tags stay): the page's markup. */
    public String markup() {
      return SCRIPT.matcher(dom).replaceAll("$1$2");
    }

    /** The value of an attribute of {@code <body>}, or null when it has none. */
    public String bodyAttribute(String name) {
      Matcher body = Pattern.compile("<body\\b[^>]*>").matcher(dom);
      if (!body.find()) {
        throw new AssertionError("No <body> in the DOM");
      }
      Matcher attr =
          Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(body.group());
      return attr.find() ? attr.group(1) : null;
    }

    /** How many elements with this tag name the markup holds (script text is not markup). */
    public int elements(String tag) {
      Matcher m = Pattern.compile("<" + Pattern.quote(tag) + "[\\s>]").matcher(markup());
      int n = 0;
      while (m.find()) {
        n++;
      }
      return n;
    }
  }

  /** Loads {@code html} and returns its DOM and console; fails on any console error. */
  public static Page load(Path html) {
    return load(html, "");
  }

  /**
   * Loads {@code html} with {@code script} run after the page's own scripts (to drive the page,
   * e.g. show a tooltip), and returns its DOM and console; fails on any console error.
   */
  public static Page load(Path html, String script) {
    Path dir = tempDir();
    try {
      String page = Files.readString(html, StandardCharsets.UTF_8);
      String extra = script.isEmpty() ? "" : "<script>" + script + "</script>\n";
      Path copy = dir.resolve("page.html");
      Files.writeString(copy, withHook(page, extra), StandardCharsets.UTF_8);
      Run run = chromium(dir, "--dump-dom", copy.toUri().toString());
      List<Console> console = console(run.stderr);
      List<Console> errors = console.stream().filter(c -> c.level.equals("error")).toList();
      if (!errors.isEmpty()) {
        throw new AssertionError("Console errors in " + html + ": " + errors);
      }
      return new Page(run.stdout, console);
    } catch (IOException e) {
      throw new AssertionError("Cannot load " + html + " in Chromium: " + e.getMessage(), e);
    } finally {
      delete(dir);
    }
  }

  /**
   * Saves a PNG of {@code html} as a {@code width} x {@code height} window shows it, after the
   * page's scripts ran.
   */
  public static void screenshot(Path html, Path png, int width, int height) {
    Path dir = tempDir();
    try {
      chromium(
          dir,
          "--hide-scrollbars",
          "--window-size=" + width + "," + height,
          "--screenshot=" + png.toAbsolutePath(),
          html.toAbsolutePath().toUri().toString());
      if (!Files.isRegularFile(png)) {
        throw new AssertionError("Chromium wrote no screenshot of " + html + " to " + png);
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * Asserts that the page has {@code charts} chart containers, that every one drew (the page's
   * {@code data-charts-rendered} signal) and that each left a canvas.
   */
  public static void assertChartsDrawn(Page page, int charts) {
    String markup = page.markup();
    int containers = 0;
    String part = "<div class=\"chart\"";
    for (int i = markup.indexOf(part); i >= 0; i = markup.indexOf(part, i + 1)) {
      containers++;
    }
    if (containers != charts) {
      throw new AssertionError("Expected " + charts + " chart containers, found " + containers);
    }
    String rendered = page.bodyAttribute("data-charts-rendered");
    if (!Integer.toString(charts).equals(rendered)) {
      throw new AssertionError(
          "Expected data-charts-rendered=\"" + charts + "\" on <body>, found " + rendered);
    }
    if (charts > 0 && page.elements("canvas") < charts) {
      throw new AssertionError(
          "Expected a canvas per chart (" + charts + "), found " + page.elements("canvas"));
    }
  }

  /** Asserts that nothing in the page loads anything: inline scripts and styles, no images. */
  public static void assertSelfContained(Page page) {
    String markup = page.markup();
    for (String pattern :
        List.of("<script[^>]*\\ssrc=", "<link", "<iframe", "<img\\s", "<object", "<embed")) {
      if (Pattern.compile(pattern).matcher(markup).find()) {
        throw new AssertionError("The page loads something (" + pattern + ")");
      }
    }
    if (!markup.contains("Content-Security-Policy")) {
      throw new AssertionError("The page sets no Content-Security-Policy");
    }
  }

  /** A text node as Chromium serialises it. */
  public static String text(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\u00a0", "&nbsp;");
  }

  /** The text of each {@code <pre class="probe">} a probe script appended, in order. */
  public static List<String> probes(String dom) {
    Matcher m =
        Pattern.compile("<pre class=\"probe\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * The page with the console hook as its first script and {@code extra} before {@code </body>}.
   */
  private static String withHook(String page, String extra) {
    String charset = "<meta charset=\"utf-8\">";
    int at = page.indexOf(charset);
    int insert = at >= 0 ? at + charset.length() : 0;
    String hooked = page.substring(0, insert) + "\n" + HOOK + page.substring(insert);
    int end = hooked.lastIndexOf("</body>");
    return end < 0 ? hooked + extra : hooked.substring(0, end) + extra + hooked.substring(end);
  }

  private record Run(String stdout, String stderr) {}

  private static Run chromium(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable());
    command.addAll(
        List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--user-data-dir=" + dir.resolve("profile"),
            "--virtual-time-budget=" + VIRTUAL_TIME_MS,
            "--enable-logging=stderr",
            "--v=0"));
    command.addAll(List.of(args));
    File out = dir.resolve("stdout").toFile();
    File err = dir.resolve("stderr").toFile();
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out)
              .redirectError(err)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            "Chromium did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
      }
      String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "Chromium exited with "
                + p.exitValue()
                + ": "
                + String.join(" ", command)
                + "\n"
                + stderr);
      }
      return new Run(Files.readString(out.toPath(), StandardCharsets.UTF_8), stderr);
    } catch (IOException e) {
      throw new AssertionError("Cannot run Chromium: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while Chromium ran", e);
    }
  }

  /** The {@code chromium} on the PATH; a machine without it fails the test, saying what to do. */
  static String executable() {
    return executable(System.getenv().getOrDefault("PATH", ""));
  }

  /** The {@code chromium} in the folders of {@code path} (a PATH value). */
  static String executable(String path) {
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "chromium");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(
        "Cannot run the browser tests: chromium is not on the PATH."
            + " Install it with: apt-get install -y chromium");
  }

  static List<Console> console(String stderr) {
    List<Console> out = new ArrayList<>();
    Matcher m = CONSOLE.matcher(stderr);
    while (m.find()) {
      String text = m.group(2);
      Matcher level = LEVEL.matcher(text);
      boolean tagged = level.find();
      out.add(
          new Console(
              tagged ? level.group(1) : "error",
              tagged ? text.substring(level.end()) : text,
              m.group(3) + ":" + m.group(4)));
    }
    return out;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("segspark-chromium-");
    } catch (IOException e) {
      throw new AssertionError("Cannot create a Chromium profile folder: " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}

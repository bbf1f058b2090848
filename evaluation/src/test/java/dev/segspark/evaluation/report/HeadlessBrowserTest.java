package dev.segspark.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The browser harness itself: it sees what a page logs and fails on every kind of error. */
class HeadlessBrowserTest {
  private static final String CSP =
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
          + " script-src 'unsafe-inline'\">";

  @TempDir Path dir;

  private Path page(String body) throws IOException {
    return Files.writeString(
        dir.resolve("page.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            + CSP
            + "</head><body>"
            + body
            + "</body></html>");
  }

  @Test
  void returnsTheDomAfterScriptsAndTheConsoleWithLevels() throws IOException {
    HeadlessBrowser.Page page =
        HeadlessBrowser.load(
            page(
                "<p id=\"p\">before</p><script>console.log('one', 2);"
                    + " console.warn('careful\\nnow');"
                    + " setTimeout(function () {"
                    + " document.getElementById('p').textContent = 'after'; }, 3000);</script>"));

    assertThat(page.markup()).contains("<p id=\"p\">after</p>");
    assertThat(page.console())
        .extracting(HeadlessBrowser.Console::level, HeadlessBrowser.Console::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("log", "one 2"),
            org.assertj.core.groups.Tuple.tuple("warning", "careful\nnow"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "console.error | <script>console.error('bad thing')</script> | bad thing",
        "uncaught exception | <script>null.x;</script> | Uncaught TypeError",
        "alert | <script>alert('hi')</script> | alert() called: hi",
        "rejected promise | <script>Promise.reject('no')</script> | no",
        "blocked fetch | <img src=\"http://example.invalid/x.png\"> | Content Security Policy",
      })
  void failsOnEveryConsoleError(String kind, String body, String message) throws IOException {
    Path html = page(body);
    assertThatThrownBy(() -> HeadlessBrowser.load(html))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Console errors in " + html)
        .hasMessageContaining(message);
  }

  @Test
  void aMachineWithoutChromiumFailsSayingHowToInstallIt() {
    assertThatThrownBy(() -> HeadlessBrowser.executable(dir.toString()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("chromium is not on the PATH")
        .hasMessageContaining("apt-get install -y chromium");
  }

  @Test
  void takesAScreenshot() throws IOException {
    Path png = dir.resolve("shot.png");
    HeadlessBrowser.screenshot(page("<h1>hello</h1>"), png, 400, 300);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
  }
}

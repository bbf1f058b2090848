package dev.segspark.jobs.actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether stderr is an interactive terminal, where a progress line may be rewritten in place and
 * messages may be coloured. {@link System#console()} alone is not enough: it only says that stdin
 * and stdout are terminals, so {@code segspark ... 2> log} would put carriage returns and ANSI
 * escapes into the log.
 */
public final class Terminal {
  private static final Path STDERR = Path.of("/proc/self/fd/2");

  private Terminal() {}

  /**
   * Whether stdin, stdout and stderr are all terminals. A launcher that filters stderr through a
   * pipe says what the real stderr is with {@code -Dsegspark.stderr.terminal=true|false}.
   */
  public static boolean stderr() {
    String told = System.getProperty("segspark.stderr.terminal");
    return System.console() != null
        && (told != null ? Boolean.parseBoolean(told) : isTerminal(STDERR));
  }

  /**
   * Whether a {@code /proc/self/fd/N} link points to a terminal device. Without {@code /proc}
   * (macOS, Windows) the link does not exist and the console check decides alone.
   */
  static boolean isTerminal(Path fdLink) {
    if (!Files.exists(fdLink, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(fdLink).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}

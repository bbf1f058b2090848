package dev.segspark.evaluation.report;

import java.util.Locale;

/**
 * The one place text from the data (class and category names, dataset names, paths, error messages)
 * is escaped for where it lands: a CSV cell, Markdown, the terminal. Numbers never pass through
 * here; they are written as they are.
 */
public final class ReportEscapes {
  /** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
  private static final String FORMULA_STARTS = "=+-@\t\r\n";

  /** ASCII punctuation that Markdown would read as syntax inside a line of text or a table. */
  private static final String MARKDOWN_PUNCTUATION = "\\`*_~[]|";

  private ReportEscapes() {}

  /**
   * A CSV text cell, RFC 4180: quoted (inner quotes doubled) when it holds a comma, quote, CR or
   * LF. A cell starting with {@code = + - @}, tab, CR or LF gets a leading {@code '} first, as
   * OWASP recommends, so a spreadsheet shows it as text instead of running it as a formula.
   */
  public static String csvText(String text) {
    String cell =
        !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    boolean quote =
        cell.indexOf(',') >= 0
            || cell.indexOf('"') >= 0
            || cell.indexOf('\n') >= 0
            || cell.indexOf('\r') >= 0;
    return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
  }

  /**
   * Markdown text for a table cell or a line: Markdown punctuation backslash-escaped ({@code |}
   * cannot end a cell, {@code [} cannot open a link, backticks cannot open code), {@code < > &} as
   * HTML entities (no raw HTML reaches the page), control and bidi characters as a visible {@code
   * \\uXXXX} (no line break can end a table row).
   */
  public static String markdown(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (MARKDOWN_PUNCTUATION.indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else if (c == '<') {
        out.append("&lt;");
      } else if (c == '>') {
        out.append("&gt;");
      } else if (c == '&') {
        out.append("&amp;");
      } else if (isUnsafe(c)) {
        out.append('\\').append(unicodeEscape(c)); // a Markdown-escaped backslash, shown as one
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Text for the terminal: control characters (escape sequences, line breaks, C1) and bidi
   * overrides shown as {@code \\uXXXX}, so a name cannot move the cursor, recolour or reorder the
   * console table.
   */
  public static String console(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(isUnsafe(c) ? unicodeEscape(c) : String.valueOf(c));
    }
    return out.toString();
  }

  /** C0, DEL and C1 controls, line and paragraph separators, bidi embeddings and overrides. */
  static boolean isUnsafe(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u061C'
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static String unicodeEscape(char c) {
    return String.format(Locale.ROOT, "\\u%04X", (int) c);
  }
}

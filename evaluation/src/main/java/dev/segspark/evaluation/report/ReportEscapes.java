package dev.segspark.evaluation.report;

import java.util.Locale;

/**
 * The one place text from the data (class and category names, dataset names, paths, error messages)
 * is escaped for where it lands: a CSV cell, Markdown, the terminal, HTML text and attributes, JSON
 * inside an HTML {@code <script>} element. Numbers never pass through here; they are written as
 * they are.
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

  /**
   * HTML text or a quoted attribute value: {@code & < > " '} as character references, nothing else
   * changed, so the page shows the exact text (no markup can start, no attribute can end).
   */
  public static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * JSON text made safe to place inside an HTML {@code <script>} element and to read as JavaScript:
   * {@code < > &} and the line and paragraph separators as JSON {@code \\uXXXX} escapes. These
   * characters can only occur inside JSON strings, where the escape means the same character, so
   * the JSON value is unchanged; {@code </script>} or {@code <!--} cannot appear.
   */
  public static String scriptJson(String json) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        out.append(unicodeEscape(c));
      } else {
        out.append(c);
      }
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

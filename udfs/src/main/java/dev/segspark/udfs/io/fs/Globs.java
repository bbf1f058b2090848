package dev.segspark.udfs.io.fs;

/** Glob patterns as {@code java.nio}'s default file system reads them, turned into regexes. */
final class Globs {
  private Globs() {}

  /**
   * The regex of a glob: {@code *} any characters but {@code /}, {@code **} any characters, {@code
   * ?} one character but {@code /}, {@code [...]} a class, {@code {a,b}} alternatives.
   */
  static String toRegex(String glob) {
    StringBuilder r = new StringBuilder("^");
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            r.append(".*");
            i++;
          } else {
            r.append("[^/]*");
          }
        }
        case '?' -> r.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("Cannot match: unclosed [ in " + glob);
          }
          String body = glob.substring(i + 1, end).replace("\\", "\\\\");
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          r.append('[').append(body).append(']');
          i = end;
        }
        case '{' -> {
          r.append("(?:");
          inGroup = true;
        }
        case '}' -> {
          r.append(')');
          inGroup = false;
        }
        case ',' -> r.append(inGroup ? "|" : ",");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            r.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> {
          if ("^$.|+()".indexOf(c) >= 0) {
            r.append('\\');
          }
          r.append(c);
        }
      }
    }
    return r.append('$').toString();
  }
}

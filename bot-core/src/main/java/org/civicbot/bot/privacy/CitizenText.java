package org.civicbot.bot.privacy;

/**
 * A citizen's text made safe to read and store: control characters removed (NUL and the rest of the C0 and C1 sets,
 * and DEL; PostgreSQL refuses NUL in text and JSON, and the others are invisible or rewrite a terminal), lone
 * surrogate halves removed (they cannot be encoded), runs of white space made one space and the ends trimmed.
 */
public final class CitizenText {

  private CitizenText() {
  }

  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
        continue;
      }
      if (Character.isISOControl(c) || lone(text, i)) {
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(c);
    }
    return out.toString();
  }

  /** {@code text} without control characters other than tab and newline, and without lone surrogates; for staff. */
  public static String withoutControls(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\t' || c == '\n' || !Character.isISOControl(c) && !lone(text, i)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether the char at {@code i} is half of a surrogate pair without its other half. */
  private static boolean lone(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}

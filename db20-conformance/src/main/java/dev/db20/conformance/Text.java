package dev.db20.conformance;

/** Shows bytes from an implementation safely: in a terminal, in XML, in JSON. */
final class Text {
  private Text() {}

  /**
   * Escapes as spec-notes N12 does for error lines: {@code 0x20}–{@code 0x7e} stand as themselves
   * except {@code \}, written {@code \\}; every other char below 256 is {@code \xNN}; anything
   * above (a Java error message) is {@code \}{@code u} and four hex digits. The result is printable
   * ASCII, so no report format ever holds a raw control byte.
   */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        b.append("\\\\");
      } else if (c >= 0x20 && c <= 0x7e) {
        b.append(c);
      } else if (c < 0x100) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.toString();
  }

  /** The longest text {@link #show} gives before its cut mark. */
  static final int SHOWN = 200;

  /**
   * {@link #escape} and {@link #clip} in one, in time and memory bounded by {@link #SHOWN} whatever
   * the length of {@code s}: only the head that can be shown is escaped.
   */
  static String show(String s) {
    String head = escape(s.length() <= SHOWN ? s : s.substring(0, SHOWN));
    if (s.length() <= SHOWN && head.length() <= SHOWN) {
      return head;
    }
    return head.substring(0, Math.min(head.length(), SHOWN)) + "...(" + s.length() + " chars)";
  }

  /** Cuts a long line so a report stays readable; the cut is marked with its full length. */
  static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " chars)";
  }
}

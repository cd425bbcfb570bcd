package dev.db20.script;

/**
 * How an error line quotes bytes from the input (SPEC §7.5, N12): printable ASCII as it stands, a
 * backslash doubled, every other byte as {@code \xNN}, and over 64 bytes cut with the length, so no
 * input can reach a terminal raw or flood it. The one routine for script tokens and for the file
 * names of {@code check}'s error line.
 */
public final class Escape {
  private Escape() {}

  /** Tokens longer than this are cut. */
  public static final int MAX_QUOTED_BYTES = 64;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** {@code length} bytes of {@code b} from {@code offset}, quoted. */
  public static String token(byte[] b, int offset, int length) {
    return token(b, offset, length, length);
  }

  /**
   * A token of {@code fullLength} bytes of which only the first {@code kept} are at hand ({@code b}
   * from {@code offset}), quoted: {@code kept} must be the whole token or at least 64 bytes.
   */
  public static String token(byte[] b, int offset, int kept, long fullLength) {
    if (kept != fullLength && kept < MAX_QUOTED_BYTES) {
      throw new IllegalArgumentException("kept " + kept + " of " + fullLength + " bytes");
    }
    StringBuilder s = new StringBuilder(Math.min(kept, MAX_QUOTED_BYTES) + 16);
    int shown = Math.min(kept, MAX_QUOTED_BYTES);
    for (int i = offset; i < offset + shown; i++) {
      int c = b[i] & 0xff;
      if (c == '\\') {
        s.append("\\\\");
      } else if (c >= 0x21 && c <= 0x7e) {
        s.append((char) c);
      } else {
        s.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
      }
    }
    if (fullLength > MAX_QUOTED_BYTES) {
      s.append("...(").append(fullLength).append(" bytes)");
    }
    return s.toString();
  }
}

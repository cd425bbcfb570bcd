package dev.db20.wire;

/**
 * Lowercase hex as the script language prints bytes (SPEC §7): two digits a byte, {@code -} for no
 * bytes at all.
 */
public final class Hex {
  private Hex() {}

  private static final byte[] DIGITS =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The ASCII bytes of {@code bytes} in lowercase hex, or {@code "-"} when it is empty. */
  public static byte[] encodeAscii(byte[] bytes) {
    if (bytes.length == 0) {
      return new byte[] {'-'};
    }
    byte[] out = new byte[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >>> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return out;
  }

  /** {@link #encodeAscii} as a String. */
  public static String encode(byte[] bytes) {
    return new String(encodeAscii(bytes), java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A u32 value (a CRC, say) as 8 lowercase hex digits, most significant first. */
  public static String u32(long value) {
    String s = Long.toHexString(value & 0xffff_ffffL);
    return "0".repeat(8 - s.length()) + s;
  }

  /**
   * Decodes hex digits of either case. Used by tools and tests, never on the replication path.
   *
   * @throws IllegalArgumentException on an odd length or a non-hex character, naming its index
   */
  public static byte[] decode(CharSequence hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex has odd length " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
    }
    return out;
  }

  private static int digit(CharSequence hex, int index) {
    int d = Character.digit(hex.charAt(index), 16);
    if (d < 0) {
      throw new IllegalArgumentException(
          "not a hex digit at index " + index + ": '" + hex.charAt(index) + "'");
    }
    return d;
  }
}

package dev.db20.script;

/** Number syntax of SPEC §7 as spec-notes N2 pins it. */
final class Numbers {
  private Numbers() {}

  /**
   * Parses ASCII decimal digits, or {@code 0x} and hex digits of either case, into an unsigned u64.
   *
   * @throws NumberFormatException on anything else, or a value above 2^64 − 1
   */
  static long parseU64(byte[] t) {
    return parseU64(t, 0, t.length);
  }

  /** {@link #parseU64(byte[])} of the bytes {@code [from, to)} of {@code t}. */
  static long parseU64(byte[] t, int from, int to) {
    boolean hex = to - from > 2 && t[from] == '0' && t[from + 1] == 'x';
    int radix = hex ? 16 : 10;
    int start = from + (hex ? 2 : 0);
    if (to == start) {
      throw new NumberFormatException("no digits");
    }
    long v = 0;
    for (int i = start; i < to; i++) {
      int d = Character.digit(t[i] & 0xff, radix);
      if (d < 0 || t[i] < 0) {
        throw new NumberFormatException("not a digit");
      }
      // v * radix + d must stay below 2^64.
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, radix)) > 0) {
        throw new NumberFormatException("above 2^64-1");
      }
      v = v * radix + d;
    }
    return v;
  }
}

package dev.db20.script;

/** Number syntax of SPEC §7 as spec-notes N2 pins it. */
final class Numbers {
  private Numbers() {}

  /**
   * Parses ASCII decimal digits, or {@code 0x} and hex digits of either case, into an unsigned
   * u64.
   *
   * @throws NumberFormatException on anything else, or a value above 2^64 − 1
   */
  static long parseU64(byte[] t) {
    boolean hex = t.length > 2 && t[0] == '0' && t[1] == 'x';
    int radix = hex ? 16 : 10;
    int start = hex ? 2 : 0;
    if (t.length == start) {
      throw new NumberFormatException("no digits");
    }
    long v = 0;
    for (int i = start; i < t.length; i++) {
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

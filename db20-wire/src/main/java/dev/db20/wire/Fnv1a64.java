package dev.db20.wire;

/**
 * FNV-1a, 64-bit (SPEC §5): {@code h = 0xcbf29ce484222325}; for each byte {@code h ^= b; h *=
 * 0x100000001b3}, all modulo 2^64. The cluster digest feeds the replicas' snapshots through {@link
 * #update} in id order.
 */
public final class Fnv1a64 {
  private Fnv1a64() {}

  /** The offset basis: the digest of no bytes. */
  public static final long OFFSET_BASIS = 0xcbf29ce484222325L;

  /** The 64-bit FNV prime. */
  public static final long PRIME = 0x100000001b3L;

  /** Continues digest {@code h} over {@code len} bytes of {@code buf} from {@code offset}. */
  public static long update(long h, byte[] buf, int offset, int len) {
    for (int i = offset, end = offset + len; i < end; i++) {
      h ^= buf[i] & 0xff;
      h *= PRIME;
    }
    return h;
  }

  /** Continues digest {@code h} over all of {@code buf}. */
  public static long update(long h, byte[] buf) {
    return update(h, buf, 0, buf.length);
  }

  /** The digest of {@code buf}. */
  public static long of(byte[] buf) {
    return update(OFFSET_BASIS, buf);
  }

  /** A digest as SPEC §5 writes it: 16 lowercase hex digits. */
  public static String toHex(long h) {
    String s = Long.toHexString(h);
    return "0".repeat(16 - s.length()) + s;
  }
}

package dev.db20.wire;

/**
 * CRC-32C (Castagnoli: reflected polynomial {@code 0x82F63B78}, initial value and final xor {@code
 * 0xFFFFFFFF}), as SPEC §4 uses it. Backed by {@link java.util.zip.CRC32C}, which the JIT turns
 * into the hardware instruction where there is one.
 */
public final class Crc32c {
  private Crc32c() {}

  /** The CRC-32C of {@code len} bytes of {@code buf} from {@code offset}, as an unsigned u32. */
  public static long of(byte[] buf, int offset, int len) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(buf, offset, len);
    return crc.getValue();
  }

  /** The CRC-32C of all of {@code buf}. */
  public static long of(byte[] buf) {
    return of(buf, 0, buf.length);
  }
}

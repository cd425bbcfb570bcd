package dev.db20.ratis;

import dev.db20.wire.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The small read-only query protocol between {@link RatisCluster} and {@link Db20StateMachine}.
 * Writes need no protocol of their own: a write's message is the SPEC §4.1 op record itself, and
 * its reply is the db20 index as a u64 little-endian.
 *
 * <p>A query is one tag byte and its argument:
 *
 * <pre>
 * GET      0x01, key bytes         reply 0x00 (missing) or 0x01, value bytes
 * STATE    0x02                    reply applied u64, keys u64, fnv1a64(snapshot) u64,
 *                                        Ratis applied log index u64
 * SNAPSHOT 0x03                    reply the node's canonical snapshot (SPEC §4)
 * CHAIN    0x04, h u64             reply applied u64, fnv1a64 continued from h over the snapshot
 * </pre>
 *
 * <p>CHAIN exists so the SPEC §5 cluster digest ({@code fnv1a64} of every snapshot concatenated in
 * id order) never ships snapshots over the network: FNV-1a's whole state is the running hash, so
 * the client passes node 0's result to node 1, and so on. All integers are little-endian, as in
 * the snapshot format.
 */
public final class Protocol {
  private Protocol() {}

  /** Reads a key. */
  public static final byte GET = 1;
  /** A node's applied count, key count and snapshot hash. */
  public static final byte STATE = 2;
  /** A node's canonical snapshot bytes. */
  public static final byte SNAPSHOT = 3;
  /** Continues a running fnv1a64 over the node's snapshot. */
  public static final byte CHAIN = 4;

  /** A GET query for {@code key}. */
  public static byte[] get(Bytes key) {
    byte[] out = new byte[1 + key.length()];
    out[0] = GET;
    key.copyTo(out, 1);
    return out;
  }

  /** A CHAIN query continuing {@code h}. */
  public static byte[] chain(long h) {
    return le(9).put(CHAIN).putLong(h).array();
  }

  /** A u64 little-endian. */
  public static byte[] u64(long v) {
    return le(8).putLong(v).array();
  }

  /** Reads the u64 little-endian at {@code at}. */
  public static long u64(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
  }

  /** A little-endian buffer of {@code n} bytes. */
  static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}

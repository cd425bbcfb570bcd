package dev.db20.ratis;

import dev.db20.wire.Bytes;
import dev.db20.wire.LittleEndian;

/**
 * The protocol between {@link RatisCluster} and {@link Db20StateMachine}: typed statuses and fixed
 * offsets, never text to be searched.
 *
 * <p>A write's message is the SPEC §4.1 op record itself. Its reply is {@link #STATUS_OK} and the
 * db20 index (u64). A record the strict decoder refuses never reaches the log: the request fails
 * with a {@code StateMachineException} whose cause is a {@link RefusedOpRecordException} (offset
 * and rule, no stack trace).
 *
 * <p>A query is one tag byte and its argument; every reply starts with a status byte:
 *
 * <pre>
 * GET      0x01, key bytes   OK, 0x00 (missing) or 0x01 and the value bytes
 * STATE    0x02              OK, applied u64, keys u64, fnv1a64(snapshot) u64, Ratis applied index u64
 * SNAPSHOT 0x03              OK, the node's canonical snapshot (SPEC §4)
 * CHAIN    0x04, h u64       OK, applied u64, fnv1a64 continued from h over the snapshot
 *
 * status   0x00 OK           the payload above follows
 *          0x01 PAUSED       the node is installing a snapshot from the leader; retry
 *          0x02 BAD_QUERY    an empty query, an unknown tag or a wrong length
 * </pre>
 *
 * <p>CHAIN exists so the SPEC §5 cluster digest ({@code fnv1a64} of every snapshot concatenated in
 * id order) never ships snapshots over the network: FNV-1a's whole state is the running hash, so
 * the client passes node 0's result to node 1, and so on. Integers are little-endian, as in the
 * snapshot format.
 */
public final class Protocol {
  private Protocol() {}

  /** Query tag: reads a key. */
  public static final byte GET = 1;

  /** Query tag: a node's applied count, key count, snapshot hash and Ratis index. */
  public static final byte STATE = 2;

  /** Query tag: a node's canonical snapshot bytes. */
  public static final byte SNAPSHOT = 3;

  /** Query tag: continues a running fnv1a64 over the node's snapshot. */
  public static final byte CHAIN = 4;

  /** Reply status: the payload follows. */
  public static final byte STATUS_OK = 0;

  /** Reply status: the node is paused for a snapshot install; the client retries. */
  public static final byte STATUS_PAUSED = 1;

  /** Reply status: the query was malformed. */
  public static final byte STATUS_BAD_QUERY = 2;

  /** Size of the status byte; every payload starts here. */
  public static final int SIZE_STATUS = 1;

  /** A write reply: the db20 index. */
  public static final int OFFSET_WRITE_INDEX = SIZE_STATUS;

  /** A GET reply: 0 missing, 1 present. */
  public static final int OFFSET_GET_PRESENT = SIZE_STATUS;

  /** A GET reply: the value bytes, when present. */
  public static final int OFFSET_GET_VALUE = OFFSET_GET_PRESENT + 1;

  /** A STATE or CHAIN reply: the node's db20 index. */
  public static final int OFFSET_APPLIED = SIZE_STATUS;

  /** A STATE reply: the key count. */
  public static final int OFFSET_STATE_KEYS = OFFSET_APPLIED + 8;

  /** A STATE reply: fnv1a64 of the node's snapshot. */
  public static final int OFFSET_STATE_FNV = OFFSET_STATE_KEYS + 8;

  /** A STATE reply: Ratis's applied log index. */
  public static final int OFFSET_STATE_RAFT_INDEX = OFFSET_STATE_FNV + 8;

  /** Size of a STATE reply. */
  public static final int SIZE_STATE_REPLY = OFFSET_STATE_RAFT_INDEX + 8;

  /** A CHAIN reply: the continued hash. */
  public static final int OFFSET_CHAIN_HASH = OFFSET_APPLIED + 8;

  /** Size of a CHAIN reply. */
  public static final int SIZE_CHAIN_REPLY = OFFSET_CHAIN_HASH + 8;

  /** A SNAPSHOT reply: the snapshot bytes. */
  public static final int OFFSET_SNAPSHOT = SIZE_STATUS;

  /** Size of a CHAIN query: the tag and the running hash. */
  public static final int SIZE_CHAIN_QUERY = 1 + 8;

  /** A GET query for {@code key}. */
  public static byte[] get(Bytes key) {
    byte[] out = new byte[1 + key.length()];
    out[0] = GET;
    key.copyTo(out, 1);
    return out;
  }

  /** A CHAIN query continuing {@code h}. */
  public static byte[] chain(long h) {
    byte[] out = new byte[SIZE_CHAIN_QUERY];
    out[0] = CHAIN;
    LittleEndian.putU64Le(out, 1, h);
    return out;
  }

  /** A reply of {@code size} bytes with status OK. */
  static byte[] ok(int size) {
    byte[] out = new byte[size];
    out[0] = STATUS_OK;
    return out;
  }

  /** A reply that is only a status. */
  static byte[] status(byte status) {
    return new byte[] {status};
  }

  /** The reply to a write committed at {@code index}. */
  static byte[] written(long index) {
    byte[] out = ok(OFFSET_WRITE_INDEX + 8);
    LittleEndian.putU64Le(out, OFFSET_WRITE_INDEX, index);
    return out;
  }
}

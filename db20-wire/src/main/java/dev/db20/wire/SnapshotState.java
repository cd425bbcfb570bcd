package dev.db20.wire;

import java.util.Arrays;
import java.util.List;

/**
 * A decoded snapshot: the commit index and the entries in key order. Immutable; the entries
 * list is unmodifiable and each {@link Entry} holds its own copies of the bytes.
 *
 * @param commitIndex the replica's commit index (a u64, held in a long as two's complement)
 * @param entries the state machine, sorted by key (unsigned bytewise), keys unique
 */
public record SnapshotState(long commitIndex, List<Entry> entries) {

  /** Copies {@code entries} into an unmodifiable list; order and uniqueness are not checked. */
  public SnapshotState {
    entries = List.copyOf(entries);
  }

  /**
   * One key and its value. Holds copies: neither the bytes passed in nor the bytes handed out
   * alias the entry's own.
   */
  public record Entry(byte[] key, byte[] value) {
    /** Copies both arrays. */
    public Entry {
      key = key.clone();
      value = value.clone();
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    int keyLength() {
      return key.length;
    }

    int valueLength() {
      return value.length;
    }

    byte[] keyBytes() {
      return key;
    }

    byte[] valueBytes() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return Hex.encode(key) + "=" + Hex.encode(value);
    }
  }
}

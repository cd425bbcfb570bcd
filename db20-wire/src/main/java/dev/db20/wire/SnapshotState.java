package dev.db20.wire;

import java.util.List;

/**
 * A decoded snapshot (SPEC §4): a commit index and the entries in key order. Immutable: the entries
 * are {@link Bytes}, so handing them out copies nothing.
 *
 * @param commitIndex the commit index, a u64
 * @param entries the entries, keys strictly increasing in unsigned bytewise order
 */
public record SnapshotState(long commitIndex, List<Entry> entries) {
  /**
   * Keeps an unmodifiable copy of {@code entries} (no copy when it is one already, or the list
   * {@link SnapshotReader#decode(byte[])} made).
   */
  public SnapshotState {
    entries = entries instanceof EntryList ? entries : List.copyOf(entries);
  }

  /**
   * One key and its value.
   *
   * @param key the key, 1 to 65,535 bytes
   * @param value the value, 0 to 1,048,576 bytes
   */
  public record Entry(Bytes key, Bytes value) {
    /** Rejects nulls; the limits are checked where entries are written or read. */
    public Entry {
      if (key == null || value == null) {
        throw new IllegalArgumentException("entry key and value must not be null");
      }
    }

    /** The entry's size in a snapshot: two length prefixes, the key and the value. */
    public long encodedSize() {
      return 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + key.length() + value.length();
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }
}

package dev.db20.wire;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The entries {@link SnapshotReader#decode(byte[])} made, as an unmodifiable list over the array it
 * filled in one pass: {@link SnapshotState} keeps it as it is instead of copying it again.
 * Package-private, and only made over an array nothing else holds, which keeps it immutable.
 */
final class EntryList extends AbstractList<SnapshotState.Entry> implements RandomAccess {
  /** The entries of an empty snapshot. */
  static final SnapshotState.Entry[] NONE = new SnapshotState.Entry[0];

  private final SnapshotState.Entry[] entries;

  /** Takes {@code entries}, every element non-null, without copying. */
  EntryList(SnapshotState.Entry[] entries) {
    assert java.util.Arrays.stream(entries).allMatch(e -> e != null) : "a null entry";
    this.entries = entries;
  }

  @Override
  public SnapshotState.Entry get(int index) {
    return entries[index];
  }

  @Override
  public int size() {
    return entries.length;
  }
}

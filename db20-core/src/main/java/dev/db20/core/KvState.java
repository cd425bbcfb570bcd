package dev.db20.core;

import dev.db20.api.Op;
import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import java.util.List;
import java.util.Optional;

/**
 * The state machine of SPEC §2: a map from key bytes to value bytes, changed only by {@link
 * #apply}. This is the one apply code of db20: the model's cluster and the state machine on a real
 * Raft engine both use it.
 *
 * <p>A hash table, sorted only when a snapshot is taken. Measured against a {@code TreeMap} with
 * {@code Arrays::compareUnsigned}, Guava's {@code UnsignedBytes.lexicographicalComparator()} and a
 * persistent sorted map (db20-bench {@code StateMapBench}, docs/benchmarks.md): one hash update per
 * committed op is the least work an op can cost, while a sorted map pays a logarithmic walk of key
 * compares that stall on memory; the sort is paid once per snapshot of a changed state. The table
 * is open-addressed (linear probing, two parallel arrays) rather than a {@code java.util.HashMap}:
 * no node object per entry, so a run of puts and deletes makes no garbage, and one fewer pointer to
 * chase per op.
 *
 * <p>Not thread-safe: one writer at a time, and readers on the same thread.
 */
public final class KvState {
  private static final int MIN_CAPACITY = 16;

  // Open addressing with linear probing. Invariants: keys.length == values.length, a power of
  // two, at least MIN_CAPACITY; 2 * size <= keys.length (so a probe always ends at a null);
  // values[i] != null iff keys[i] != null; every key sits in the run of non-null slots that
  // starts at its home slot (deletion shifts entries back to keep it so).
  private Bytes[] keys;
  private Bytes[] values;
  private int size;
  // 32 - log2(keys.length): Fibonacci hashing takes the top bits of hash * 2^32/phi.
  private int shift;
  // Invariant: payloadBytes == sum over entries of (8 + key.length + value.length), the entries'
  // size in a snapshot, so a snapshot's size is known before it is written.
  private long payloadBytes;
  // The entries in key order, or null when an apply has changed the map since the last sort.
  private List<SnapshotState.Entry> sorted;

  /** An empty state. */
  public KvState() {
    this(0);
    sorted = List.of();
  }

  private KvState(int expectedKeys) {
    int capacity = MIN_CAPACITY;
    while (capacity < 2L * expectedKeys) {
      capacity <<= 1;
    }
    allocate(capacity);
  }

  /** The state a decoded snapshot holds (its commit index is the caller's to keep). */
  public static KvState of(SnapshotState snapshot) {
    KvState s = new KvState(snapshot.entries().size());
    for (SnapshotState.Entry e : snapshot.entries()) {
      s.put(e.key(), e.value());
    }
    // The snapshot's entries are already in key order and immutable: keep them as the sort.
    s.sorted = snapshot.entries();
    return s;
  }

  /** Applies {@code op}: a put inserts or replaces, a del removes, a no-op changes nothing. */
  public void apply(Op op) {
    if (op instanceof Op.Put put) {
      put(put.key(), put.value());
    } else if (op instanceof Op.Del del) {
      delete(del.key());
    } else if (!(op instanceof Op.NoOp)) {
      // The class, not the op: a message holding the op would let it escape on every path.
      throw new IllegalStateException("unknown op kind " + op.getClass().getName());
    }
  }

  /** The value of {@code key}, if present. */
  public Optional<Bytes> get(Bytes key) {
    return Optional.ofNullable(values[slot(key)]);
  }

  /** The number of keys. */
  public int size() {
    return size;
  }

  /** The entries' size in a snapshot: the sum of {@code 8 + key + value} over the entries. */
  public long payloadBytes() {
    return payloadBytes;
  }

  /**
   * The entries in unsigned bytewise key order, immutable. Sorted once per change: repeated calls
   * without an {@link #apply} in between return the same list.
   */
  public List<SnapshotState.Entry> sortedEntries() {
    List<SnapshotState.Entry> s = sorted;
    if (s == null) {
      int[] order = KeyOrder.sortedSlots(keys, size);
      SnapshotState.Entry[] entries = new SnapshotState.Entry[size];
      for (int i = 0; i < size; i++) {
        entries[i] = new SnapshotState.Entry(keys[order[i]], values[order[i]]);
      }
      s = List.of(entries);
      sorted = s;
    }
    assert aliasesHold(s)
        : "cached size "
            + size
            + " or payloadBytes "
            + payloadBytes
            + " disagrees with the "
            + s.size()
            + " entries";
    return s;
  }

  /**
   * Whether the cached aliases agree with {@code entries}, the sorted entries: the size, the
   * payload bytes, the table's own invariants, the sort's order. O(n), for assertions.
   */
  private boolean aliasesHold(List<SnapshotState.Entry> entries) {
    long payload = 0;
    int live = 0;
    for (int i = 0; i < keys.length; i++) {
      if ((keys[i] == null) != (values[i] == null)) {
        return false;
      }
      if (keys[i] != null) {
        live++;
        payload += 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + keys[i].length() + values[i].length();
      }
    }
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i - 1).key().compareTo(entries.get(i).key()) >= 0) {
        return false;
      }
    }
    return live == size
        && entries.size() == size
        && payload == payloadBytes
        && 2 * size <= keys.length;
  }

  /** The canonical snapshot of SPEC §4 of this state at {@code commitIndex}. */
  public byte[] encode(long commitIndex) {
    return SnapshotWriter.encode(commitIndex, sortedEntries(), payloadBytes);
  }

  /** Applies {@code Put(key, value)} without an op object: the same change as {@link #apply}. */
  public void put(Bytes key, Bytes value) {
    int i = slot(key);
    Bytes old = values[i];
    if (old == null) {
      keys[i] = key;
      values[i] = value;
      payloadBytes += 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + key.length() + value.length();
      if (2 * ++size > keys.length) {
        allocate(keys.length << 1);
      }
    } else {
      values[i] = value;
      payloadBytes += value.length() - old.length();
    }
    sorted = null;
  }

  /** Applies {@code Del(key)} without an op object: the same change as {@link #apply}. */
  public void delete(Bytes key) {
    int i = slot(key);
    Bytes old = values[i];
    if (old == null) {
      return;
    }
    payloadBytes -= 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + key.length() + old.length();
    size--;
    sorted = null;
    // Backward-shift deletion (Knuth's Algorithm R): move later entries of the run into the
    // hole unless their home lies cyclically in (hole, j], so no tombstones are needed.
    int mask = keys.length - 1;
    int hole = i;
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = home(keys[j]);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = null;
    values[hole] = null;
  }

  /** The slot holding {@code key}, or the empty slot where it would go. */
  private int slot(Bytes key) {
    int mask = keys.length - 1;
    int i = home(key);
    Bytes k;
    // Identity first: the workload hands the same key objects back, so equals rarely runs.
    while ((k = keys[i]) != null && k != key && !k.equals(key)) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int home(Bytes key) {
    return (key.hashCode() * 0x9E3779B9) >>> shift;
  }

  private void allocate(int capacity) {
    Bytes[] oldKeys = keys;
    Bytes[] oldValues = values;
    keys = new Bytes[capacity];
    values = new Bytes[capacity];
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    if (oldKeys != null) {
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != null) {
          int j = slot(oldKeys[i]);
          keys[j] = oldKeys[i];
          values[j] = oldValues[i];
        }
      }
    }
  }

  @Override
  public String toString() {
    return "KvState[keys=" + size + ", payloadBytes=" + payloadBytes + "]";
  }
}

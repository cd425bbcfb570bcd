package dev.db20.core;

import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state machine of SPEC §2: a map from key bytes to value bytes, changed only by {@link
 * #apply}. This is the one apply code of db20: the model's cluster and the state machine on a
 * real Raft engine both use it.
 *
 * <p>A hash map, sorted only when a snapshot is taken. Measured against a {@code TreeMap} with
 * {@code Arrays::compareUnsigned}, Guava's {@code UnsignedBytes.lexicographicalComparator()} and
 * a persistent sorted map (db20-bench {@code StateMapBench}, docs/benchmarks.md): one hash update
 * per committed op is the least work an op can cost, while a sorted map pays a logarithmic walk
 * of key compares that stall on memory; the sort is paid once per snapshot of a changed state.
 *
 * <p>Not thread-safe: one writer at a time, and readers on the same thread.
 */
public final class KvState {
  private final HashMap<Bytes, Bytes> map;
  // Invariant: payloadBytes == sum over map of (8 + key.length + value.length), the entries'
  // size in a snapshot, so a snapshot's size is known before it is written.
  private long payloadBytes;
  // The entries in key order, or null when an apply has changed the map since the last sort.
  private List<SnapshotState.Entry> sorted;

  /** An empty state. */
  public KvState() {
    map = new HashMap<>();
    sorted = List.of();
  }

  /** The state a decoded snapshot holds (its commit index is the caller's to keep). */
  public static KvState of(SnapshotState snapshot) {
    KvState s = new KvState(snapshot.entries().size());
    for (SnapshotState.Entry e : snapshot.entries()) {
      s.map.put(e.key(), e.value());
      s.payloadBytes += e.encodedSize();
    }
    // The snapshot's entries are already in key order and immutable: keep them as the sort.
    s.sorted = snapshot.entries();
    return s;
  }

  private KvState(int expectedKeys) {
    map = new HashMap<>(Math.max(16, (int) (expectedKeys / 0.75f) + 1));
  }

  /** Applies {@code op}: a put inserts or replaces, a del removes, a no-op changes nothing. */
  public void apply(Op op) {
    if (op instanceof Op.Put put) {
      Bytes old = map.put(put.key(), put.value());
      payloadBytes += put.value().length()
          + (old == null ? 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + put.key().length() : -old.length());
      sorted = null;
    } else if (op instanceof Op.Del del) {
      Bytes old = map.remove(del.key());
      if (old != null) {
        payloadBytes -= 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + del.key().length() + old.length();
        sorted = null;
      }
    } else if (!(op instanceof Op.NoOp)) {
      // The class, not the op: a message holding the op would let it escape on every path.
      throw new IllegalStateException("unknown op kind " + op.getClass().getName());
    }
  }

  /** The value of {@code key}, if present. */
  public Optional<Bytes> get(Bytes key) {
    return Optional.ofNullable(map.get(key));
  }

  /** The number of keys. */
  public int size() {
    return map.size();
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
      List<SnapshotState.Entry> entries = new ArrayList<>(map.size());
      for (Map.Entry<Bytes, Bytes> e : map.entrySet()) {
        entries.add(new SnapshotState.Entry(e.getKey(), e.getValue()));
      }
      entries.sort((a, b) -> a.key().compareTo(b.key()));
      s = List.copyOf(entries);
      sorted = s;
    }
    return s;
  }

  /** The canonical snapshot of SPEC §4 of this state at {@code commitIndex}. */
  public byte[] encode(long commitIndex) {
    return SnapshotWriter.encode(commitIndex, sortedEntries(), payloadBytes);
  }

  @Override
  public String toString() {
    return "KvState[keys=" + map.size() + ", payloadBytes=" + payloadBytes + "]";
  }
}

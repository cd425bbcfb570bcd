package dev.db20.core;

import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The state machine after some prefix of the one committed history, and that prefix's length: what
 * a replica holds (docs/core-model.md). Replicas at the same index hold the same version.
 *
 * <p>Two kinds. The {@link Tip} is the one mutable version, at the end of the history; applying an
 * op to it advances every replica that holds it at once. A {@link Frozen} version is what a
 * partitioned replica keeps when the tip moves on without it: immutable, made once, shared.
 */
abstract sealed class StateVersion permits StateVersion.Tip, StateVersion.Frozen {

  /** The number of committed ops this state has applied: the holder's commit index. */
  abstract long index();

  abstract int keyCount();

  abstract Optional<Bytes> get(Bytes key);

  /** The canonical snapshot bytes, cached; shared, so never handed out of this package. */
  abstract byte[] snapshot();

  abstract long snapshotSize();

  /** The tip of the history: the state after every committed op. */
  static final class Tip extends StateVersion {
    private final KvState state = new KvState();
    // Invariant: index == the number of ops applied to state == the history's length.
    private long index;
    // The snapshot at index, or null when an apply came after it was encoded.
    private byte[] snapshot;

    /** Commits a put at index + 1 and applies it; returns the new index. */
    long put(Bytes key, Bytes value) {
      state.put(key, value);
      return committed();
    }

    /** Commits a del at index + 1 and applies it; returns the new index. */
    long delete(Bytes key) {
      state.delete(key);
      return committed();
    }

    /** Commits a no-op at index + 1; returns the new index. */
    long noop() {
      return committed();
    }

    private long committed() {
      snapshot = null;
      return ++index;
    }

    /** An immutable copy of this state at its current index: one sort, no byte copied. */
    Frozen freeze() {
      return new Frozen(
          new SnapshotState(index, state.sortedEntries()), state.payloadBytes(), snapshot);
    }

    @Override
    long index() {
      return index;
    }

    @Override
    int keyCount() {
      return state.size();
    }

    @Override
    Optional<Bytes> get(Bytes key) {
      return state.get(key);
    }

    @Override
    byte[] snapshot() {
      byte[] s = snapshot;
      if (s == null) {
        s = state.encode(index);
        snapshot = s;
      }
      assert java.util.Arrays.equals(s, state.encode(index))
          : "the tip's cached snapshot is stale at index " + index;
      return s;
    }

    @Override
    long snapshotSize() {
      return SnapshotFormat.MIN_SNAPSHOT_SIZE + state.payloadBytes();
    }
  }

  /** A state left behind by the tip, kept for the replicas that still hold it. */
  static final class Frozen extends StateVersion {
    private final SnapshotState entries;
    private final long payloadBytes;
    // Encoded on first use; one encode per distinct state however many replicas hold it.
    private byte[] snapshot;

    Frozen(SnapshotState entries, long payloadBytes, byte[] snapshot) {
      this.entries = entries;
      this.payloadBytes = payloadBytes;
      this.snapshot = snapshot;
      assert payloadBytes == payloadOf(entries)
          : "frozen payloadBytes " + payloadBytes + " != " + payloadOf(entries);
      assert snapshot == null || snapshot.length == SnapshotFormat.MIN_SNAPSHOT_SIZE + payloadBytes
          : "frozen snapshot of " + snapshot.length + " bytes for payload " + payloadBytes;
    }

    private static long payloadOf(SnapshotState entries) {
      long sum = 0;
      for (SnapshotState.Entry e : entries.entries()) {
        sum += 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + e.key().length() + e.value().length();
      }
      return sum;
    }

    @Override
    long index() {
      return entries.commitIndex();
    }

    @Override
    int keyCount() {
      return entries.entries().size();
    }

    @Override
    Optional<Bytes> get(Bytes key) {
      List<SnapshotState.Entry> list = entries.entries();
      int i =
          Collections.binarySearch(
              list,
              new SnapshotState.Entry(key, Bytes.EMPTY),
              (a, b) -> a.key().compareTo(b.key()));
      return i >= 0 ? Optional.of(list.get(i).value()) : Optional.empty();
    }

    @Override
    byte[] snapshot() {
      byte[] s = snapshot;
      if (s == null) {
        s = SnapshotWriter.encode(entries.commitIndex(), entries.entries(), payloadBytes);
        snapshot = s;
      }
      return s;
    }

    @Override
    long snapshotSize() {
      return SnapshotFormat.MIN_SNAPSHOT_SIZE + payloadBytes;
    }
  }
}

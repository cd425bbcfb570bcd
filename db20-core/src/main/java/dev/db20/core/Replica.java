package dev.db20.core;

import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One replica of SPEC §2: an id, a log, a commit index and a state machine sorted by unsigned
 * bytes. Every entry in the log is committed and applied as it is committed.
 *
 * <p>Reads are public; the changes ({@link #append}, {@link #catchUpFrom}, {@link
 * #truncateAndReplay}) are package-private, because only {@link Cluster} may decide when a
 * replica changes.
 */
public final class Replica {
  private final int id;
  // Invariant: log.size() == commitIndex; every entry in the log is applied to sm.
  private ReplicaLog log;
  private long commitIndex;
  // Sorted by unsigned bytewise key order: the snapshot order, so writing one is a plain walk.
  private final TreeMap<byte[], byte[]> sm = new TreeMap<>(Arrays::compareUnsigned);
  // Invariant: smPayloadBytes == sum over sm of (8 + key.length + value.length), so a snapshot's
  // size is known before it is written.
  private long smPayloadBytes;

  Replica(int id) {
    this.id = id;
    this.log = ReplicaLog.empty();
  }

  /** The replica's id, 0 to N−1. */
  public int id() {
    return id;
  }

  /** How many entries are committed (and applied). */
  public long commitIndex() {
    return commitIndex;
  }

  /** How many keys the state machine holds. */
  public int keyCount() {
    return sm.size();
  }

  /** The value of {@code key} in the state machine, copied. */
  public Optional<byte[]> get(byte[] key) {
    byte[] v = sm.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** The op at log index {@code index}, 1 to {@link #commitIndex()}. */
  public Op logEntry(long index) {
    return log.get(index);
  }

  /** The canonical snapshot of SPEC §4. Replicas in the same state give identical bytes. */
  public byte[] dumpState() {
    return SnapshotWriter.encode(commitIndex, sm.entrySet(), smPayloadBytes);
  }

  /** Size in bytes of {@link #dumpState()}, without writing it. */
  public long snapshotSize() {
    return SnapshotFormat.MIN_SNAPSHOT_SIZE + smPayloadBytes;
  }

  /** Appends {@code op} at index {@code commitIndex + 1}, commits it and applies it. */
  void append(Op op) {
    log.append(op);
    commitIndex++;
    apply(op);
    checkInvariant();
  }

  /**
   * Receives {@code leader}'s entries after this replica's commit index, applies them, and
   * advances the commit index to the leader's (SPEC §3 propose step 3).
   */
  void catchUpFrom(Replica leader) {
    if (commitIndex > leader.commitIndex) {
      throw new IllegalStateException("replica " + id + " commit(" + commitIndex
          + ") > leader " + leader.id + " commit(" + leader.commitIndex + ")");
    }
    for (long i = commitIndex + 1; i <= leader.commitIndex; i++) {
      append(leader.log.get(i));
    }
  }

  /**
   * SPEC §2's catch-up: clears the state machine, replaces the log with the first {@code
   * sourceCommit} entries of {@code source}, and replays them in order.
   */
  void truncateAndReplay(ReplicaLog source, long sourceCommit) {
    if (sourceCommit < 0 || sourceCommit > source.size()) {
      throw new IllegalArgumentException(
          "source commit " + sourceCommit + " outside 0.." + source.size());
    }
    sm.clear();
    smPayloadBytes = 0;
    log = source.prefix(sourceCommit);
    commitIndex = sourceCommit;
    for (long i = 1; i <= sourceCommit; i++) {
      apply(log.get(i));
    }
    checkInvariant();
  }

  ReplicaLog log() {
    return log;
  }

  private void apply(Op op) {
    if (op instanceof Op.Put put) {
      byte[] old = sm.put(put.keyRef(), put.valueRef());
      smPayloadBytes += put.valueRef().length
          + (old == null ? 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + put.keyRef().length : -old.length);
    } else if (op instanceof Op.Del del) {
      byte[] old = sm.remove(del.keyRef());
      if (old != null) {
        smPayloadBytes -= 2L * SnapshotFormat.SIZE_LENGTH_PREFIX + del.keyRef().length + old.length;
      }
    } else if (!(op instanceof Op.NoOp)) {
      throw new IllegalStateException("unknown op " + op);
    }
  }

  private void checkInvariant() {
    if (log.size() != commitIndex) {
      throw new IllegalStateException(
          "replica " + id + ": log.size(" + log.size() + ") != commitIndex(" + commitIndex + ")");
    }
  }

  @Override
  public String toString() {
    return "Replica[id=" + id + ", commit=" + commitIndex + ", keys=" + sm.size() + "]";
  }
}

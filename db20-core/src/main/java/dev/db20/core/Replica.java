package dev.db20.core;

import dev.db20.wire.Bytes;
import java.util.Optional;

/**
 * One replica of SPEC §2, as the model keeps it: an id and the state version it holds. Its commit
 * index is that version's index; its log is the first {@code commitIndex} entries of the cluster's
 * one history, which nothing observable needs once applied (docs/core-model.md), so it is not kept.
 *
 * <p>Reads are public and hand out immutable values or copies; only {@link Cluster} changes a
 * replica.
 */
public final class Replica {
  private final int id;
  // Invariant: commitIndex() == state.index() <= the cluster's tip index; every replica at the
  // tip index holds the tip itself.
  private StateVersion state;

  Replica(int id, StateVersion state) {
    this.id = id;
    this.state = state;
  }

  /** The replica's id, 0 to N−1. */
  public int id() {
    return id;
  }

  /** How many entries are committed (and applied). */
  public long commitIndex() {
    return state.index();
  }

  /** How many keys the state machine holds. */
  public int keyCount() {
    return state.keyCount();
  }

  /** The value of {@code key} in the state machine. */
  public Optional<Bytes> get(Bytes key) {
    return state.get(key);
  }

  /** The canonical snapshot of SPEC §4, a fresh array. Replicas in one state give equal bytes. */
  public byte[] dumpState() {
    return state.snapshot().clone();
  }

  /** Size in bytes of {@link #dumpState()}, without writing it. */
  public long snapshotSize() {
    return state.snapshotSize();
  }

  StateVersion state() {
    return state;
  }

  /**
   * Catch-up as SPEC §2's {@code truncate_and_replay} defines its result: the state becomes exactly
   * {@code source}'s. The source's version is handed over, not replayed.
   */
  void adopt(StateVersion source) {
    state = source;
  }

  @Override
  public String toString() {
    return "Replica[id=" + id + ", commit=" + commitIndex() + ", keys=" + keyCount() + "]";
  }
}

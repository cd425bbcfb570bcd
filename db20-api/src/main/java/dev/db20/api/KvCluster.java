package dev.db20.api;

import dev.db20.wire.Bytes;
import java.util.Optional;

/**
 * The cluster a script drives: the seam between SPEC §7's language and what runs the ops. The model
 * ({@code dev.db20.core.Cluster}) is one implementation; a client of a real replicated cluster is
 * another, so one script prints the same bytes on both.
 *
 * <p>Ops go in through {@link OpSink}'s primitives (or {@link #propose} for a typed op); reads,
 * digests and per-node states come out as values. What only some clusters can do is a capability:
 * {@link #faults}.
 */
public interface KvCluster extends OpSink {
  /** Fewest nodes a cluster has, SPEC §3. */
  int MIN_NODES = 1;

  /** Most nodes a cluster has, SPEC §3. */
  int MAX_NODES = 255;

  /** Makes the cluster a {@code cluster N} line asks for. */
  @FunctionalInterface
  interface Factory {
    /**
     * A cluster of {@code n} nodes, {@code MIN_NODES <= n <= MAX_NODES}.
     *
     * @throws UnsupportedOperationException if this kind of cluster cannot be {@code n} nodes (a
     *     real cluster has the size it has); the message says why, in one line
     */
    KvCluster create(int n);
  }

  /** N, the number of nodes. */
  int size();

  /** Proposes {@code op}: {@code op.proposeTo(this)}. */
  default long propose(Op op) {
    return op.proposeTo(this);
  }

  /** Reads {@code key} through the leader (linearizably on a real cluster). */
  ReadResult read(Bytes key);

  /** The cluster digest of SPEC §5 over every node's snapshot, in id order. */
  long digest();

  /** Node {@code id}'s state, {@code 0 <= id < size()}. */
  NodeState node(int id);

  /** Node {@code id}'s canonical snapshot (SPEC §4), a fresh array the caller owns. */
  byte[] snapshot(int id);

  /** The fault commands, if this cluster can really inject them; empty by default. */
  default Optional<Faults> faults() {
    return Optional.empty();
  }
}

package dev.db20.script;

import dev.db20.core.Op;
import dev.db20.core.ReadResult;
import dev.db20.wire.Bytes;
import dev.db20.workload.Workload;

/**
 * The cluster a script drives: the seam between SPEC §7's language and what runs the ops. The
 * model ({@link ModelCluster}, over {@code dev.db20.core.Cluster}) is one implementation; a
 * client of a real replicated cluster is another, so one script prints the same bytes on both.
 *
 * <p>The fault-injection commands (partition, heal, leader) only mean something in the model; a
 * real cluster refuses them by throwing {@link UnsupportedOperationException} with a message the
 * script prints as its error.
 */
public interface KvCluster {
  /** Makes the cluster a {@code cluster N} line asks for. */
  @FunctionalInterface
  interface Factory {
    /**
     * A cluster of {@code n} nodes, {@code 1 <= n <= 255}.
     *
     * @throws UnsupportedOperationException if this kind of cluster cannot be {@code n} nodes
     *     (a real cluster has the size it has); the message says why
     */
    KvCluster create(int n);
  }

  /**
   * What {@code replica ID} prints of one node.
   *
   * @param commitIndex the node's commit (applied) index
   * @param keyCount the number of keys in its state machine
   * @param partitioned whether it is cut off (always false on a real cluster)
   */
  record NodeState(long commitIndex, long keyCount, boolean partitioned) {}

  /** N, the number of nodes. */
  int size();

  /** What {@link #propose} returns for a rejected op: no op is ever committed at index 0. */
  long REJECTED = dev.db20.core.Cluster.REJECTED;

  /**
   * Proposes {@code op}: the index it was committed at (from 1), or {@link #REJECTED}. A primitive
   * rather than a {@code ProposeResult}, so a run of millions of workload ops allocates nothing
   * per op that escape analysis cannot remove.
   */
  long propose(Op op);

  /**
   * Draws {@code workload}'s next op and proposes it: {@code propose(workload.nextOp())}, which is
   * what this default does. The model overrides it with a path that makes no op object.
   */
  default long proposeNext(Workload workload) {
    return propose(workload.nextOp());
  }

  /** Reads {@code key} through the leader (linearizably on a real cluster). */
  ReadResult read(Bytes key);

  /** The cluster digest of SPEC §5 over every node's snapshot, in id order. */
  long digest();

  /** Node {@code id}'s state, {@code 0 <= id < size()}. */
  NodeState node(int id);

  /** Node {@code id}'s canonical snapshot (SPEC §4), a fresh array. */
  byte[] snapshot(int id);

  /** Makes the partitioned set exactly {@code ids} (model only). */
  void partition(int... ids);

  /** Empties the partitioned set and catches every node up (model only). */
  void heal();

  /**
   * The leader's id and the view, {@code leader ID view=V} (model only).
   *
   * @return {@code {id, view}}
   */
  long[] leader();
}

package dev.db20.core;

import static com.google.common.base.Preconditions.checkArgument;

import dev.db20.wire.Fnv1a64;
import java.util.Arrays;

/**
 * N replicas that replicate ops under a quorum, exactly as SPEC §3 says: a partitioned set P
 * whose replicas neither send nor receive, a leader ({@code view mod N}) that changes when it is
 * cut off and a quorum remains, and {@code heal()}, after which all snapshots are identical.
 *
 * <p>Not thread-safe: a cluster is a deterministic model driven by one caller.
 */
public final class Cluster {
  /** Smallest cluster, SPEC §3. */
  public static final int MIN_SIZE = 1;
  /** Largest cluster, SPEC §3. */
  public static final int MAX_SIZE = 255;

  private final Replica[] replicas;
  // Invariant: partitionedCount == number of true entries in partitioned.
  private final boolean[] partitioned;
  private int partitionedCount;
  // The leader is replica (view mod N), view read as unsigned.
  private long view;

  /**
   * A cluster of {@code n} new replicas, view 0, no partition.
   *
   * @throws IllegalArgumentException unless {@code 1 <= n <= 255}
   */
  public Cluster(int n) {
    checkArgument(n >= MIN_SIZE && n <= MAX_SIZE, "cluster size %s out of range %s..%s", n, MIN_SIZE, MAX_SIZE);
    replicas = new Replica[n];
    for (int i = 0; i < n; i++) {
      replicas[i] = new Replica(i);
    }
    partitioned = new boolean[n];
  }

  /** N, the number of replicas. */
  public int size() {
    return replicas.length;
  }

  /** {@code N / 2 + 1}. */
  public int quorum() {
    return replicas.length / 2 + 1;
  }

  /** The current view; the leader is {@code view mod N}. */
  public long view() {
    return view;
  }

  /** The leader's id, {@code view mod N}. Pure: runs no leader check. */
  public int leader() {
    return (int) Long.remainderUnsigned(view, replicas.length);
  }

  /** Replica {@code id}, for reading its state. */
  public Replica replica(int id) {
    checkId(id);
    return replicas[id];
  }

  /** Whether {@code id} is in the partitioned set. */
  public boolean isPartitioned(int id) {
    checkId(id);
    return partitioned[id];
  }

  /**
   * Makes the partitioned set exactly {@code ids} (repeats are fine). Changes no replica.
   *
   * @throws IllegalArgumentException if an id is not below N; then nothing changes
   */
  public void partition(int... ids) {
    for (int id : ids) {
      checkId(id);
    }
    Arrays.fill(partitioned, false);
    for (int id : ids) {
      partitioned[id] = true;
    }
    partitionedCount = 0;
    for (boolean p : partitioned) {
      partitionedCount += p ? 1 : 0;
    }
  }

  /**
   * Empties the partitioned set, then brings every replica whose commit index differs from the
   * leader's to the leader's state with {@code truncate_and_replay}. Runs no leader check
   * (docs/spec-notes.md N7).
   */
  public void heal() {
    Arrays.fill(partitioned, false);
    partitionedCount = 0;
    Replica leader = replicas[leader()];
    for (Replica r : replicas) {
      if (r != leader && r.commitIndex() != leader.commitIndex()) {
        r.truncateAndReplay(leader.log(), leader.commitIndex());
      }
    }
  }

  /** SPEC §3 propose: leader check, quorum, catch-up, append on every reachable replica. */
  public ProposeResult propose(Op op) {
    if (op == null) {
      throw new IllegalArgumentException("op is null");
    }
    if (!leaderCheck() || reachableCount() < quorum()) {
      return ProposeResult.Rejected.INSTANCE;
    }
    Replica leader = replicas[leader()];
    for (int id = 0; id < replicas.length; id++) {
      if (!partitioned[id] && replicas[id] != leader && replicas[id].commitIndex() < leader.commitIndex()) {
        replicas[id].catchUpFrom(leader);
      }
    }
    long index = leader.commitIndex() + 1;
    for (int id = 0; id < replicas.length; id++) {
      if (!partitioned[id]) {
        if (replicas[id].commitIndex() != index - 1) {
          throw new IllegalStateException("replica " + id + " commit(" + replicas[id].commitIndex()
              + ") != leader " + leader.id() + " commit(" + (index - 1) + ") before append");
        }
        replicas[id].append(op);
      }
    }
    return new ProposeResult.Committed(index);
  }

  /** SPEC §3 read: leader check, quorum, then the leader's value. Changes nothing else. */
  public ReadResult read(byte[] key) {
    if (!leaderCheck() || reachableCount() < quorum()) {
      return ReadResult.Rejected.INSTANCE;
    }
    return replicas[leader()].get(key)
        .<ReadResult>map(ReadResult.Value::new)
        .orElse(ReadResult.Missing.INSTANCE);
  }

  /**
   * The cluster digest of SPEC §5: FNV-1a 64 over every replica's snapshot, in id order.
   */
  public long digest() {
    long h = Fnv1a64.OFFSET_BASIS;
    for (Replica r : replicas) {
      h = Fnv1a64.update(h, r.dumpState());
    }
    return h;
  }

  /**
   * The leader check of SPEC §3. Returns false when the leader is cut off and no quorum is
   * reachable (nothing changes); otherwise makes sure the leader is reachable, changing the view
   * and catching the new leader up from the most complete reachable replica when needed.
   */
  private boolean leaderCheck() {
    if (!partitioned[leader()]) {
      return true;
    }
    if (reachableCount() < quorum()) {
      return false;
    }
    do {
      view++;
    } while (partitioned[leader()]);
    Replica leader = replicas[leader()];
    Replica best = null;
    for (int id = 0; id < replicas.length; id++) {
      // Strictly greater: the lowest id wins a tie.
      if (!partitioned[id] && (best == null || replicas[id].commitIndex() > best.commitIndex())) {
        best = replicas[id];
      }
    }
    if (best.commitIndex() > leader.commitIndex()) {
      leader.truncateAndReplay(best.log(), best.commitIndex());
    }
    return true;
  }

  private int reachableCount() {
    return replicas.length - partitionedCount;
  }

  private void checkId(int id) {
    checkArgument(id >= 0 && id < replicas.length, "replica id %s out of range 0..%s", id, replicas.length - 1);
  }
}

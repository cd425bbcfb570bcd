package dev.db20.core;

import static com.google.common.base.Preconditions.checkArgument;

import dev.db20.api.Faults;
import dev.db20.api.KvCluster;
import dev.db20.api.LeaderView;
import dev.db20.api.NodeState;
import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import java.util.Arrays;
import java.util.Optional;

/**
 * N replicas that replicate ops under a quorum, exactly as SPEC §3 says: a partitioned set P whose
 * replicas neither send nor receive, a leader ({@code view mod N}) that changes when it is cut off
 * and a quorum remains, and {@code heal()}, after which all snapshots are identical.
 *
 * <p>It is the model behind the {@link KvCluster} seam, with the {@link Faults} capability: a
 * script's {@code partition}, {@code heal} and {@code leader} run here.
 *
 * <p>Not thread-safe: a cluster is a deterministic model driven by one caller.
 */
public final class Cluster implements KvCluster {

  private final Replica[] replicas;
  // The state after every committed op; its index is L, the history's length. Invariants
  // (docs/core-model.md): the leader holds it after every call; a replica is at index L iff it
  // holds this object; every other replica holds a Frozen version below L.
  private final StateVersion.Tip tip = new StateVersion.Tip();
  // Invariant: partitionedCount == number of true entries in partitioned.
  private final boolean[] partitioned;
  private int partitionedCount;
  // The leader is replica (view mod N), view read as unsigned.
  private long view;
  // True when the leader is reachable, every reachable replica holds the tip and no partitioned
  // replica does: propose is then a quorum test and one apply, whatever N is. Recomputed by
  // every call that can change it.
  private boolean settled = true;
  private final Faults faults = new ModelFaults();

  /**
   * A cluster of {@code n} new replicas, view 0, no partition.
   *
   * @throws IllegalArgumentException unless {@code 1 <= n <= 255}
   */
  public Cluster(int n) {
    checkArgument(
        n >= MIN_NODES && n <= MAX_NODES,
        "cluster size %s out of range %s..%s",
        n,
        MIN_NODES,
        MAX_NODES);
    replicas = new Replica[n];
    for (int i = 0; i < n; i++) {
      replicas[i] = new Replica(i, tip);
    }
    partitioned = new boolean[n];
  }

  /** N, the number of replicas. */
  @Override
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

  /** The number of committed ops: the length of the one history, and the leader's commit index. */
  public long committed() {
    return tip.index();
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
    settled = computeSettled();
  }

  /**
   * Empties the partitioned set, then brings every replica whose commit index differs from the
   * leader's to the leader's state (SPEC §3 {@code truncate_and_replay}, by adopting the leader's
   * version). Runs no leader check (docs/spec-notes.md N7).
   */
  public void heal() {
    Arrays.fill(partitioned, false);
    partitionedCount = 0;
    Replica leader = replicas[leader()];
    checkLeaderAtTip(leader);
    for (Replica r : replicas) {
      if (r.commitIndex() != leader.commitIndex()) {
        r.adopt(leader.state());
      }
    }
    settled = computeSettled();
  }

  /**
   * SPEC §3 propose of {@code Put(key, value)}: leader check, quorum, catch-up, append on every
   * reachable replica. Allocates nothing: the workload's hot path.
   *
   * @throws IllegalArgumentException if the key or value is outside SPEC §1's limits
   */
  @Override
  public long put(Bytes key, Bytes value) {
    Op.checkKey(key);
    Op.checkValue(value);
    return admit() ? tip.put(key, value) : REJECTED;
  }

  /**
   * SPEC §3 propose of {@code Del(key)}.
   *
   * @throws IllegalArgumentException if the key is outside SPEC §1's limits
   */
  @Override
  public long del(Bytes key) {
    Op.checkKey(key);
    return admit() ? tip.delete(key) : REJECTED;
  }

  /** SPEC §3 propose of {@code NoOp}. */
  @Override
  public long noop() {
    return admit() ? tip.noop() : REJECTED;
  }

  /** Propose's steps 1–3 (leader check, quorum, catch-up, copy on diverge): may the op commit? */
  private boolean admit() {
    assert aliasesHold() : aliasState();
    return (settled || prepareUnsettled()) && reachableCount() >= quorum();
  }

  /**
   * The steps of propose before the append when the cluster is not settled: the leader check, the
   * quorum, catch-up of reachable replicas, and copy on diverge. False if the op is rejected.
   */
  private boolean prepareUnsettled() {
    if (!leaderCheck() || reachableCount() < quorum()) {
      settled = computeSettled();
      return false;
    }
    // Step 3: a reachable replica behind the leader receives the missing entries; its state
    // becomes the leader's, which is the tip.
    for (int id = 0; id < replicas.length; id++) {
      if (!partitioned[id] && replicas[id].state() != tip) {
        replicas[id].adopt(tip);
      }
    }
    // Copy on diverge: a partitioned replica at the tip stays at this index while the tip moves
    // on, so it keeps one frozen copy, shared by every replica in the same position.
    StateVersion.Frozen frozen = null;
    for (int id = 0; id < replicas.length; id++) {
      if (partitioned[id] && replicas[id].state() == tip) {
        if (frozen == null) {
          frozen = tip.freeze();
        }
        replicas[id].adopt(frozen);
      }
    }
    // Every reachable replica now holds the tip and no partitioned one does: the append below
    // advances exactly the reachable replicas.
    settled = computeSettled();
    return true;
  }

  /** SPEC §3 read: leader check, quorum, then the leader's value. Changes nothing else. */
  @Override
  public ReadResult read(Bytes key) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    assert aliasesHold() : aliasState();
    if (!settled) {
      boolean ok = leaderCheck();
      settled = computeSettled();
      if (!ok) {
        return ReadResult.Rejected.INSTANCE;
      }
    }
    if (reachableCount() < quorum()) {
      return ReadResult.Rejected.INSTANCE;
    }
    return replicas[leader()]
        .get(key)
        .<ReadResult>map(ReadResult.Value::new)
        .orElse(ReadResult.Missing.INSTANCE);
  }

  /**
   * The cluster digest of SPEC §5: FNV-1a 64 over every replica's snapshot, in id order. Each
   * distinct state is encoded once (its version caches the bytes) and hashed once per holder.
   */
  @Override
  public long digest() {
    long h = Fnv1a64.OFFSET_BASIS;
    for (Replica r : replicas) {
      h = Fnv1a64.update(h, r.state().snapshot());
    }
    return h;
  }

  @Override
  public NodeState node(int id) {
    Replica r = replica(id);
    return new NodeState(r.commitIndex(), r.keyCount(), partitioned[id]);
  }

  @Override
  public byte[] snapshot(int id) {
    return replica(id).dumpState();
  }

  /** The model has every fault command. */
  @Override
  public Optional<Faults> faults() {
    return Optional.of(faults);
  }

  /** The fault commands of the script language over this model. */
  private final class ModelFaults implements Faults {
    @Override
    public void partition(int... ids) {
      Cluster.this.partition(ids);
    }

    @Override
    public void heal() {
      Cluster.this.heal();
    }

    @Override
    public LeaderView leader() {
      return new LeaderView(Cluster.this.leader(), view);
    }
  }

  /**
   * Checks every invariant of the model (docs/core-model.md) and throws {@link
   * IllegalStateException} with the state printed if one is broken: the cached aliases ({@code
   * settled}, {@code partitionedCount}); a replica at the tip's index holds the tip and every other
   * one a frozen version below it; a reachable leader holds the tip; at most N distinct versions,
   * each at a distinct index. O(N) plus the versions' own checks; the property tests call it after
   * every step.
   */
  void check() {
    if (!aliasesHold()) {
      throw new IllegalStateException(aliasState());
    }
    java.util.Map<Long, StateVersion> byIndex = new java.util.HashMap<>();
    for (Replica r : replicas) {
      StateVersion v = r.state();
      if (v.index() > tip.index() || (v != tip && !(v instanceof StateVersion.Frozen))) {
        throw new IllegalStateException(
            "replica "
                + r.id()
                + " holds "
                + v.getClass().getSimpleName()
                + " at "
                + v.index()
                + " with the tip at "
                + tip.index()
                + ": "
                + aliasState());
      }
      StateVersion other = byIndex.putIfAbsent(v.index(), v);
      if (other != null && other != v) {
        throw new IllegalStateException(
            "two versions at index "
                + v.index()
                + " (replicas share a version per index): "
                + aliasState());
      }
    }
  }

  /** How many distinct state versions the replicas hold (at most N; memory is bounded by it). */
  int distinctStates() {
    return (int) Arrays.stream(replicas).map(Replica::state).distinct().count();
  }

  /**
   * The leader check of SPEC §3. Returns false when the leader is cut off and no quorum is
   * reachable (nothing changes); otherwise makes sure the leader is reachable, changing the view
   * and catching the new leader up from the most complete reachable replica when needed.
   */
  private boolean leaderCheck() {
    if (!partitioned[leader()]) {
      checkLeaderAtTip(replicas[leader()]);
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
      leader.adopt(best.state());
    }
    // Quorum intersection puts the most complete reachable replica at the tip (docs/core-model.md).
    checkLeaderAtTip(leader);
    return true;
  }

  /**
   * The cached aliases agree with what they cache: {@code partitionedCount} with {@code
   * partitioned}, {@code settled} with {@link #computeSettled}, and the model's invariants hold
   * (the leader, when reachable, at the tip; every replica at the tip's index holds the tip). O(N),
   * for assertions.
   */
  private boolean aliasesHold() {
    int count = 0;
    for (int id = 0; id < replicas.length; id++) {
      count += partitioned[id] ? 1 : 0;
      if ((replicas[id].commitIndex() == tip.index()) != (replicas[id].state() == tip)) {
        return false;
      }
    }
    return count == partitionedCount
        && settled == computeSettled()
        && (partitioned[leader()] || replicas[leader()].state() == tip);
  }

  /** The state an alias assertion prints. */
  private String aliasState() {
    StringBuilder sb =
        new StringBuilder(
            "cluster aliases broken: settled="
                + settled
                + " (computed "
                + computeSettled()
                + "), partitionedCount="
                + partitionedCount
                + ", view="
                + Long.toUnsignedString(view)
                + ", tip="
                + tip.index()
                + ", replicas");
    for (int id = 0; id < replicas.length; id++) {
      sb.append(' ')
          .append(id)
          .append(partitioned[id] ? "(cut)" : "")
          .append('@')
          .append(replicas[id].commitIndex())
          .append(replicas[id].state() == tip ? "=tip" : "");
    }
    return sb.toString();
  }

  private boolean computeSettled() {
    if (partitioned[leader()]) {
      return false;
    }
    for (int id = 0; id < replicas.length; id++) {
      if (partitioned[id] == (replicas[id].state() == tip)) {
        return false;
      }
    }
    return true;
  }

  private void checkLeaderAtTip(Replica leader) {
    if (leader.state() != tip) {
      throw new IllegalStateException(
          "leader "
              + leader.id()
              + " commit("
              + leader.commitIndex()
              + ") is not at the tip("
              + tip.index()
              + ")");
    }
  }

  private int reachableCount() {
    return replicas.length - partitionedCount;
  }

  private void checkId(int id) {
    checkArgument(
        id >= 0 && id < replicas.length,
        "replica id %s out of range 0..%s",
        id,
        replicas.length - 1);
  }
}

package dev.db20.script;

import dev.db20.core.Cluster;
import dev.db20.core.Op;
import dev.db20.core.ReadResult;
import dev.db20.core.Replica;
import dev.db20.wire.Bytes;
import dev.db20.workload.Workload;

/** The model of SPEC §3 behind the script seam: every command runs on a {@link Cluster}. */
public final class ModelCluster implements KvCluster {
  private final Cluster cluster;

  /** A new model cluster of {@code n} replicas. */
  public ModelCluster(int n) {
    this.cluster = new Cluster(n);
  }

  /** The model itself, for tests and tools that look deeper than the script language. */
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public int size() {
    return cluster.size();
  }

  @Override
  public long propose(Op op) {
    return cluster.proposeIndex(op);
  }

  @Override
  public long proposeNext(Workload workload) {
    return workload.proposeNext(cluster);
  }

  @Override
  public ReadResult read(Bytes key) {
    return cluster.read(key);
  }

  @Override
  public long digest() {
    return cluster.digest();
  }

  @Override
  public NodeState node(int id) {
    Replica r = cluster.replica(id);
    return new NodeState(r.commitIndex(), r.keyCount(), cluster.isPartitioned(id));
  }

  @Override
  public byte[] snapshot(int id) {
    return cluster.replica(id).dumpState();
  }

  @Override
  public void partition(int... ids) {
    cluster.partition(ids);
  }

  @Override
  public void heal() {
    cluster.heal();
  }

  @Override
  public long[] leader() {
    return new long[] {cluster.leader(), cluster.view()};
  }
}

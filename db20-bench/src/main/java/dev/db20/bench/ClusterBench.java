package dev.db20.bench;

import dev.db20.core.Cluster;
import dev.db20.core.Op;
import dev.db20.core.ProposeResult;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import dev.db20.workload.Workload;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot paths the large workloads exercise: proposing a workload op to a five-replica cluster,
 * writing a replica's snapshot, the cluster digest, and reading a snapshot back strictly.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ClusterBench {
  /** Keys in the state machine: the workload's key space. */
  @Param({"16", "10000"})
  public long keys;

  private Cluster cluster;
  private Workload workload;
  private byte[] snapshot;

  /** A fresh five-replica cluster each iteration (the log grows with every propose), filled with enough ops to touch every key. */
  @Setup(Level.Iteration)
  public void setUp() {
    cluster = new Cluster(5);
    workload = new Workload(20, keys);
    for (long i = 0; i < keys * 4; i++) {
      cluster.propose(workload.nextOp());
    }
    snapshot = cluster.replica(0).dumpState();
  }

  /** One workload op drawn and committed on five replicas. */
  @Benchmark
  public ProposeResult propose() {
    Op op = workload.nextOp();
    return cluster.propose(op);
  }

  /** One replica's canonical snapshot. */
  @Benchmark
  public byte[] dumpState() {
    return cluster.replica(0).dumpState();
  }

  /** The cluster digest: five snapshots through FNV-1a. */
  @Benchmark
  public long digest() {
    return cluster.digest();
  }

  /** The strict reader over one snapshot. */
  @Benchmark
  public SnapshotState loadState() throws SnapshotFormatException {
    return SnapshotReader.loadState(snapshot);
  }
}

package dev.db20.bench;

import dev.db20.api.Op;
import dev.db20.core.Cluster;
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
 * The model's hot paths: one workload op drawn and committed on five replicas, healthy and with two
 * followers partitioned (copy on diverge, then the tip alone moves), and the cluster digest. Memory
 * no longer grows with ops, so one cluster serves a whole trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ClusterBench {
  /** Keys in the state machine: the workload's key space. */
  @Param({"16", "100000"})
  public long keys;

  /** Whether followers 3 and 4 are cut off while ops are proposed. */
  @Param({"false", "true"})
  public boolean partitioned;

  private Cluster cluster;
  private Workload workload;

  /** Five replicas with every key touched, then the partition (if any) and one op across it. */
  @Setup(Level.Trial)
  public void setUp() {
    cluster = new Cluster(5);
    workload = new Workload(20, keys);
    for (long i = 0; i < keys * 4; i++) {
      cluster.propose(workload.nextOp());
    }
    if (partitioned) {
      cluster.partition(3, 4);
      cluster.propose(workload.nextOp());
    }
  }

  /**
   * One workload op drawn and committed, the script's {@code ops} path: the decoder hands the op to
   * the cluster as primitives (expected: no allocation per op, {@code -prof gc}).
   */
  @Benchmark
  public long propose() {
    return workload.next(cluster);
  }

  /** The same op as a typed {@link Op} through {@code KvCluster.propose}, for comparison. */
  @Benchmark
  public long proposeTyped() {
    Op op = workload.nextOp();
    return cluster.propose(op);
  }

  /** The cluster digest: each distinct state encoded once (cached while unchanged), five hashes. */
  @Benchmark
  public long digest() {
    return cluster.digest();
  }
}

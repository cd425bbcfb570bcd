package dev.db20.bench;

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
 * Heal of a replica that lags by {@code lag} entries. Catch-up hands over the leader's state
 * version, so the cost should not depend on the lag (the old model replayed every entry).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HealBench {
  /** Entries the partitioned replica misses. */
  @Param({"1000", "100000"})
  public int lag;

  private Cluster cluster;

  /** Five replicas, 10,000 keys; replica 4 cut off while {@code lag} ops commit. */
  @Setup(Level.Invocation)
  public void setUp() {
    cluster = new Cluster(5);
    Workload w = new Workload(3, 10_000);
    for (int i = 0; i < 10_000; i++) {
      cluster.propose(w.nextOp());
    }
    cluster.partition(4);
    for (int i = 0; i < lag; i++) {
      cluster.propose(w.nextOp());
    }
  }

  /** heal(): replica 4 adopts the leader's state; returns its new commit index. */
  @Benchmark
  public long heal() {
    cluster.heal();
    return cluster.replica(4).commitIndex();
  }
}

package dev.db20.bench;

import dev.db20.api.Op;
import dev.db20.workload.Workload;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One workload op: three splitmix64 draws and the decode into an op (SPEC §6). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WorkloadBench {
  /** The key space; 2^40 is past the key cache, so keys are formatted each time. */
  @Param({"16", "100000", "1099511627776"})
  public long keys;

  private Workload workload;

  /** A workload at seed 7. */
  @Setup
  public void setUp() {
    workload = new Workload(7, keys);
  }

  /** Draw and decode one op. */
  @Benchmark
  public Op nextOp() {
    return workload.nextOp();
  }
}

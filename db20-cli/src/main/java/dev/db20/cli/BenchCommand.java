package dev.db20.cli;

import dev.db20.api.Faults;
import dev.db20.api.KvCluster;
import dev.db20.script.ExitCode;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Fnv1a64;
import dev.db20.workload.Workload;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db20 bench}: the issue-8 workloads in this process, without the script interpreter or JVM
 * start in the figure. Reports throughput, sampled propose latency, peak heap and GC time.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Runs a workload on the model in-process and reports ops/s, propose latency, peak heap and GC time.")
final class BenchCommand implements Callable<Integer> {
  /** One propose in this many is timed: a clock read per op would cost more than the op. */
  static final int LATENCY_SAMPLE_EVERY = 64;

  @Option(
      names = "--replicas",
      defaultValue = "5",
      description = "cluster size, 1..255 (default ${DEFAULT-VALUE})")
  int replicas;

  @Option(
      names = "--keys",
      defaultValue = "100000",
      description = "workload key space, >= 1 (default ${DEFAULT-VALUE})")
  long keys;

  @Option(
      names = "--ops",
      defaultValue = "1000000",
      description = "ops to propose, >= 1 (default ${DEFAULT-VALUE})")
  long ops;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "workload seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--partition-phase",
      description =
          "run the issue-8 shape: 60%% of the ops healthy, 20%% with the last two"
              + " replicas cut off, heal, the last 20%% (needs --replicas >= 3)")
  boolean partitionPhase;

  @Option(
      names = "--progress",
      description = "print a progress line on stderr (default: only when attached to a terminal)")
  boolean progress;

  @Override
  public Integer call() {
    String bad = badArguments();
    if (bad != null) {
      System.err.println("db20 bench: " + bad);
      return ExitCode.BAD_INPUT;
    }
    boolean showProgress = progress || System.console() != null;
    KvCluster cluster = ScriptRunner.MODEL.create(replicas);
    Faults faults = cluster.faults().orElseThrow();
    Workload workload = new Workload(seed, keys);
    long[] samples = new long[(int) Math.min(1 << 20, ops / LATENCY_SAMPLE_EVERY + 1)];
    int sampled = 0;
    long committed = 0;
    long gcCountBefore = gcCount();
    long gcTimeBefore = gcMillis();
    long healAt = partitionPhase ? ops * 8 / 10 : -1;
    long partitionAt = partitionPhase ? ops * 6 / 10 : -1;
    long start = System.nanoTime();
    long nextProgress = start + 500_000_000L;
    for (long i = 0; i < ops; i++) {
      if (i == partitionAt) {
        faults.partition(replicas - 2, replicas - 1);
      } else if (i == healAt) {
        faults.heal();
      }
      boolean timed = (i & (LATENCY_SAMPLE_EVERY - 1)) == 0 && sampled < samples.length;
      long t0 = timed ? System.nanoTime() : 0;
      if (workload.next(cluster) != KvCluster.REJECTED) {
        committed++;
      }
      if (timed) {
        long t1 = System.nanoTime();
        samples[sampled++] = t1 - t0;
        if (showProgress && t1 > nextProgress) {
          System.err.printf("\r%,d / %,d ops (%.0f%%)", i + 1, ops, 100.0 * (i + 1) / ops);
          nextProgress = t1 + 500_000_000L;
        }
      }
    }
    long elapsed = System.nanoTime() - start;
    long digest = cluster.digest();
    if (showProgress) {
      System.err.print("\r" + " ".repeat(40) + "\r");
    }
    Arrays.sort(samples, 0, sampled);
    PrintStream out = System.out;
    out.printf(
        "ops %d committed=%d rejected=%d replicas=%d keys=%d%s%n",
        ops, committed, ops - committed, replicas, keys, partitionPhase ? " partition-phase" : "");
    out.printf("time %.3f s, %.0f ops/s%n", elapsed / 1e9, ops / (elapsed / 1e9));
    out.printf(
        "propose latency p50 %d ns, p99 %d ns (1 op in %d timed)%n",
        percentile(samples, sampled, 50), percentile(samples, sampled, 99), LATENCY_SAMPLE_EVERY);
    out.printf(
        "peak heap %.1f MiB, gc %d collections %d ms%n",
        peakHeapBytes() / 1048576.0, gcCount() - gcCountBefore, gcMillis() - gcTimeBefore);
    out.println("digest " + Fnv1a64.toHex(digest));
    out.flush();
    if (out.checkError()) {
      System.err.println(Io.STDOUT_FAILED);
      return ExitCode.BAD_INPUT;
    }
    return 0;
  }

  private String badArguments() {
    if (replicas < KvCluster.MIN_NODES || replicas > KvCluster.MAX_NODES) {
      return "--replicas "
          + replicas
          + " out of range "
          + KvCluster.MIN_NODES
          + ".."
          + KvCluster.MAX_NODES;
    }
    if (keys < 1) {
      return "--keys " + keys + " out of range (must be >= 1)";
    }
    if (ops < 1) {
      return "--ops " + ops + " out of range (must be >= 1)";
    }
    if (partitionPhase && replicas < 3) {
      return "--partition-phase needs --replicas >= 3 (two are cut off and a quorum must remain), got "
          + replicas;
    }
    return null;
  }

  private static long percentile(long[] sorted, int n, int p) {
    return n == 0 ? 0 : sorted[Math.min(n - 1, (int) ((long) n * p / 100))];
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }
}

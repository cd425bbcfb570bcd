package dev.db20.bench;

import com.google.common.primitives.UnsignedBytes;
import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.wire.Bytes;
import dev.db20.workload.Workload;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * The choice behind {@link KvState}'s map (issue 8): one workload op applied to each candidate
 * state map, and one snapshot-order walk of a full state. Candidates: the hash map KvState uses
 * (sorted when a snapshot is taken), a {@code TreeMap} with {@code Arrays::compareUnsigned} (the
 * old model), a {@code TreeMap} with Guava's {@code UnsignedBytes.lexicographicalComparator()}, and
 * a persistent sorted map (vavr's red-black {@code TreeMap}, which would let frozen versions share
 * structure with the tip instead of being sorted copies).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StateMapBench {
  /** The key space. */
  @Param({"100000"})
  public long keys;

  private Workload workload;
  private KvState hash;
  private TreeMap<byte[], byte[]> treeJdk;
  private TreeMap<byte[], byte[]> treeGuava;
  private io.vavr.collection.TreeMap<Bytes, Bytes> persistent;

  /** Every candidate filled with the same ops, enough to touch every key. */
  @Setup
  public void setUp() {
    hash = new KvState();
    treeJdk = new TreeMap<>(Arrays::compareUnsigned);
    treeGuava = new TreeMap<>(UnsignedBytes.lexicographicalComparator());
    persistent = io.vavr.collection.TreeMap.empty();
    Workload w = new Workload(5, keys);
    for (long i = 0; i < keys * 4; i++) {
      Op op = w.nextOp();
      hash.apply(op);
      applyTree(treeJdk, op);
      applyTree(treeGuava, op);
      persistent = applyPersistent(persistent, op);
    }
    workload = new Workload(6, keys);
  }

  private static void applyTree(TreeMap<byte[], byte[]> m, Op op) {
    if (op instanceof Op.Put p) {
      m.put(p.key().toByteArray(), p.value().toByteArray());
    } else if (op instanceof Op.Del d) {
      m.remove(d.key().toByteArray());
    }
  }

  private static io.vavr.collection.TreeMap<Bytes, Bytes> applyPersistent(
      io.vavr.collection.TreeMap<Bytes, Bytes> m, Op op) {
    if (op instanceof Op.Put p) {
      return m.put(p.key(), p.value());
    }
    if (op instanceof Op.Del d) {
      return m.remove(d.key());
    }
    return m;
  }

  /** KvState: one hash-map update. */
  @Benchmark
  public int applyHash() {
    hash.apply(workload.nextOp());
    return hash.size();
  }

  /** TreeMap with Arrays::compareUnsigned: a logarithmic walk of key compares. */
  @Benchmark
  public int applyTreeJdk() {
    applyTree(treeJdk, workload.nextOp());
    return treeJdk.size();
  }

  /** TreeMap with Guava's unsigned lexicographical comparator. */
  @Benchmark
  public int applyTreeGuava() {
    applyTree(treeGuava, workload.nextOp());
    return treeGuava.size();
  }

  /** A persistent red-black tree: a path copy per update. */
  @Benchmark
  public int applyPersistent() {
    persistent = applyPersistent(persistent, workload.nextOp());
    return persistent.size();
  }

  /**
   * The snapshot walk of the hash map: collect and sort (what a snapshot of a changed state pays).
   */
  @Benchmark
  public int sortedWalkHash() {
    hash.apply(workload.nextOp()); // invalidate the cached sort, as a real snapshot after ops would
    return hash.sortedEntries().size();
  }

  /** The snapshot walk of a TreeMap: already in order. */
  @Benchmark
  public long sortedWalkTree() {
    long n = 0;
    for (Map.Entry<byte[], byte[]> e : treeJdk.entrySet()) {
      n += e.getKey().length;
    }
    return n;
  }
}

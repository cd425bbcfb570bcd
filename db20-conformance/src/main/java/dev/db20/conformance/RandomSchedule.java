package dev.db20.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Random fault schedules: cluster sizes 1..9, puts, deletes and no-ops over a few keys, reads,
 * partitions of any subset (the leader's included), heals, workload runs, a second {@code cluster}.
 * One generator serves the schedule property test (which drives {@code Cluster} directly and checks
 * every step against a sequential model) and {@link RandomScripts} (which renders schedules as SPEC
 * §7 scripts for the cross-implementation run), so both explore the same space.
 *
 * <p>Deterministic: the same seed gives the same schedule in every JVM.
 */
public final class RandomSchedule {
  private RandomSchedule() {}

  /** Largest cluster a schedule makes: enough for every quorum shape, small enough to be fast. */
  public static final int MAX_CLUSTER = 9;

  /** The keys a schedule touches: few, so that reads and deletes hit written keys often. */
  static final String[] KEYS = {"a", "b", "c", "k0", "k1"};

  /** One step of a schedule; {@link #line()} is its SPEC §7 script line. */
  public sealed interface Step {
    /** The script line, without its line ending. */
    String line();
  }

  /** {@code cluster N}: a new cluster replacing the old one. */
  public record NewCluster(int size) implements Step {
    @Override
    public String line() {
      return "cluster " + size;
    }
  }

  /** {@code seed S}: restarts the workload generator. */
  public record Seed(long seed) implements Step {
    @Override
    public String line() {
      return "seed " + Long.toUnsignedString(seed);
    }
  }

  /** {@code keys K}: the workload's key space. */
  public record Keys(long keySpace) implements Step {
    @Override
    public String line() {
      return "keys " + keySpace;
    }
  }

  /** {@code ops M}: M workload ops. */
  public record Ops(int count) implements Step {
    @Override
    public String line() {
      return "ops " + count;
    }
  }

  /** {@code put KEY VALUE}. */
  public record Put(String key, String value) implements Step {
    @Override
    public String line() {
      return "put " + key + " " + value;
    }
  }

  /** {@code del KEY}. */
  public record Del(String key) implements Step {
    @Override
    public String line() {
      return "del " + key;
    }
  }

  /** {@code noop}. */
  public record NoOp() implements Step {
    @Override
    public String line() {
      return "noop";
    }
  }

  /** {@code get KEY}: a read. */
  public record Get(String key) implements Step {
    @Override
    public String line() {
      return "get " + key;
    }
  }

  /**
   * {@code partition ID...}. The ids may repeat and, when {@link #valid} is false, one is not below
   * N: the API then refuses the whole call and a script stops at the line.
   */
  public record Partition(int[] ids, boolean valid) implements Step {
    @Override
    public String line() {
      return ("partition "
              + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")))
          .trim();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Partition p && Arrays.equals(ids, p.ids) && valid == p.valid;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids) * 31 + Boolean.hashCode(valid);
    }

    @Override
    public String toString() {
      return line();
    }
  }

  /** {@code heal}. */
  public record Heal() implements Step {
    @Override
    public String line() {
      return "heal";
    }
  }

  /** {@code leader}: prints the leader; changes nothing. */
  public record Leader() implements Step {
    @Override
    public String line() {
      return "leader";
    }
  }

  /** {@code replica ID}. */
  public record ReplicaLine(int id) implements Step {
    @Override
    public String line() {
      return "replica " + id;
    }
  }

  /** {@code snapshot ID}. */
  public record SnapshotLine(int id) implements Step {
    @Override
    public String line() {
      return "snapshot " + id;
    }
  }

  /** {@code digest}. */
  public record Digest() implements Step {
    @Override
    public String line() {
      return "digest";
    }
  }

  /**
   * A schedule of 1 to {@code maxSteps} steps that starts with {@code cluster N}. When {@code
   * invalidPartitions} is true, about one partition in 20 names an id that is not below N.
   */
  public static List<Step> generate(SplittableRandom rnd, int maxSteps, boolean invalidPartitions) {
    List<Step> steps = new ArrayList<>();
    int n = 1 + rnd.nextInt(MAX_CLUSTER);
    steps.add(new NewCluster(n));
    int count = 1 + rnd.nextInt(maxSteps);
    for (int s = 1; s < count; s++) {
      int roll = rnd.nextInt(100);
      Step step;
      if (roll < 22) {
        step = new Put(key(rnd), value(rnd));
      } else if (roll < 30) {
        step = new Del(key(rnd));
      } else if (roll < 34) {
        step = new NoOp();
      } else if (roll < 50) {
        step = new Get(key(rnd));
      } else if (roll < 66) {
        step = partition(rnd, n, invalidPartitions);
      } else if (roll < 74) {
        step = new Heal();
      } else if (roll < 79) {
        step = new Ops(rnd.nextInt(40));
      } else if (roll < 81) {
        step = new Seed(rnd.nextBoolean() ? rnd.nextInt(1000) : rnd.nextLong());
      } else if (roll < 83) {
        step = new Keys(1 + rnd.nextInt(8));
      } else if (roll < 86) {
        step = new Leader();
      } else if (roll < 90) {
        step = new ReplicaLine(rnd.nextInt(n));
      } else if (roll < 93) {
        step = new SnapshotLine(rnd.nextInt(n));
      } else if (roll < 97) {
        step = new Digest();
      } else {
        // A second cluster: the history starts again, the workload generator carries on.
        n = 1 + rnd.nextInt(MAX_CLUSTER);
        step = new NewCluster(n);
      }
      steps.add(step);
    }
    return steps;
  }

  private static Partition partition(SplittableRandom rnd, int n, boolean invalidAllowed) {
    int roll = rnd.nextInt(10);
    int[] ids;
    if (roll == 0) {
      ids = new int[0]; // `partition` with no ids: an empty P
    } else if (roll <= 3) {
      ids = new int[] {rnd.nextInt(n)}; // often the leader alone, in small clusters
    } else {
      // Any subset, sometimes with repeats; a minority, a majority or everything.
      int k = 1 + rnd.nextInt(n + 1);
      ids = new int[k];
      for (int i = 0; i < k; i++) {
        ids[i] = rnd.nextInt(n);
      }
    }
    if (invalidAllowed && rnd.nextInt(20) == 0) {
      ids = Arrays.copyOf(ids, ids.length + 1);
      ids[ids.length - 1] = n + rnd.nextInt(3);
      return new Partition(ids, false);
    }
    return new Partition(ids, true);
  }

  private static String key(SplittableRandom rnd) {
    return KEYS[rnd.nextInt(KEYS.length)];
  }

  private static String value(SplittableRandom rnd) {
    int len = 1 + rnd.nextInt(6);
    StringBuilder s = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      s.append((char) ('0' + rnd.nextInt(75))); // '0'..'z': printable, no space or '#'
    }
    return s.toString();
  }

  /** The schedule as a script, one line per step, each ending in {@code \n}. */
  public static String toScript(List<Step> steps) {
    StringBuilder s = new StringBuilder();
    for (Step step : steps) {
      s.append(step.line()).append('\n');
    }
    return s.toString();
  }
}

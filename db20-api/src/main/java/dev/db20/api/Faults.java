package dev.db20.api;

/**
 * The fault commands of SPEC §3 and §7 ({@code partition}, {@code heal}, {@code leader}): a
 * capability a cluster may have ({@link KvCluster#faults}). The model has it; a real cluster has it
 * only when something can really cut its links (a test's fault proxy); a cluster without it returns
 * no {@code Faults} rather than methods that throw.
 */
public interface Faults {
  /**
   * Makes the partitioned set exactly {@code ids} (repeats are fine; none empties it).
   *
   * @throws IllegalArgumentException if an id is not below N; then nothing changes
   */
  void partition(int... ids);

  /** Empties the partitioned set and brings every node to the leader's state. */
  void heal();

  /** The leader and its view. Pure: changes nothing. */
  LeaderView leader();
}

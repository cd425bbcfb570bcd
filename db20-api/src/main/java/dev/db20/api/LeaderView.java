package dev.db20.api;

/**
 * What {@code leader} prints: the leader's node id and the view it leads in.
 *
 * @param id the leader's node id, {@code 0 <= id < N}
 * @param view the view, an unsigned u64 (the model's leader is {@code view mod N})
 */
public record LeaderView(int id, long view) {
  /**
   * @throws IllegalArgumentException if {@code id} is negative
   */
  public LeaderView {
    if (id < 0) {
      throw new IllegalArgumentException("leader id " + id + " is negative");
    }
  }
}

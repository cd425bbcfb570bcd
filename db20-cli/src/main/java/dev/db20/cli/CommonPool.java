package dev.db20.cli;

/**
 * The JVM's common pool on a small machine. Its own class, naming no picocli type, so that {@link
 * Main} can call it before {@code db20 run} without loading picocli or {@link Cli}.
 */
final class CommonPool {
  private CommonPool() {}

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * Gives the JVM's common pool two threads on a machine of one or two cores (unless the user set
   * {@link #PARALLELISM}). Below two, {@code CompletableFuture}'s default async executor starts a
   * new thread for every task, and Ratis runs async stages without an executor on every
   * AppendEntries a follower handles and on the client (JFR, 16 x 16 on this 2-core machine: 592
   * and 672 thread starts in 20 s on the two followers). Every entry point calls this first, before
   * anything uses the common pool.
   */
  static void ofTwo() {
    if (System.getProperty(PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(PARALLELISM, "2");
    }
  }
}

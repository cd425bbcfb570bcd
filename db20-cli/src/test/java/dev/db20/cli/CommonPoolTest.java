package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link CommonPool#ofTwo}: on a two-core JVM an async stage without an executor runs on the common
 * pool, not on a thread started for it. Each case runs {@link Probe} in a JVM of its own (the
 * common pool's size is fixed when the JVM first uses it), told it has two processors.
 */
class CommonPoolTest {
  /** Prints the name of the thread a default async task ran on; with "set", after the set-up. */
  static final class Probe {
    public static void main(String[] args) throws Exception {
      if (args.length > 0 && args[0].equals("set")) {
        CommonPool.ofTwo();
      }
      System.out.println(
          CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get());
    }
  }

  private static String threadOfAnAsyncTask(List<String> flags, String... args) throws Exception {
    Db20Process.Run r = Db20Process.run("", pb -> {}, Db20Process.java(flags, Probe.class, args));
    assertEquals(0, r.exit(), r.err());
    return r.out().strip();
  }

  @Test
  void onTwoCoresAsyncTasksRunOnTheCommonPool() throws Exception {
    List<String> two = List.of("-XX:ActiveProcessorCount=2");
    // Without the set-up the JDK starts a thread per task (its ThreadPerTaskExecutor).
    String bare = threadOfAnAsyncTask(two);
    assertTrue(bare.startsWith("Thread-"), bare);
    String set = threadOfAnAsyncTask(two, "set");
    assertTrue(set.startsWith("ForkJoinPool.commonPool-worker-"), set);
    // A parallelism the user chose is kept.
    String chosen =
        threadOfAnAsyncTask(
            List.of("-XX:ActiveProcessorCount=2", "-D" + CommonPool.PARALLELISM + "=1"), "set");
    assertTrue(chosen.startsWith("Thread-"), chosen);
  }
}

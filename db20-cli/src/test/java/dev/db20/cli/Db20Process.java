package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code db20} as a separate JVM, as a user or a CI script would, and captures what it did.
 */
final class Db20Process {
  private Db20Process() {}

  /** Pipe pumps need threads of their own; the common pool has one thread on two cores. */
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "db20-test-pipe");
            t.setDaemon(true);
            return t;
          });

  /** What one run did. */
  record Run(int exit, String out, String err) {
    /** Asserts stderr is exactly one line (no stack trace) and returns it. */
    String oneErrLine() {
      List<String> lines = err.lines().toList();
      assertTrue(lines.size() == 1, "want exactly one line on stderr, got:\n" + err);
      return lines.get(0);
    }
  }

  /**
   * Flags of every JVM a test starts: C1 only and the serial collector. Most of these processes
   * live seconds, where C2's compilations and G1's threads cost more CPU than they save (on two
   * cores, CPU the rest of the suite is waiting for): 188 s of CPU fell to 130 s over four of the
   * process-test classes, although the byte-heavy HostileFilesTest alone got slower.
   */
  static final List<String> TEST_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * The command line that runs {@code main} in a JVM of this test's {@code java}, with {@link
   * #TEST_JVM_FLAGS}, then {@code jvmFlags}, this test's classpath (absolute), and {@code args}.
   */
  static List<String> java(List<String> jvmFlags, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(TEST_JVM_FLAGS);
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", absoluteClasspath(), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The command line that runs {@link Db20} with this test's classpath. */
  static List<String> command(String... args) {
    return java(List.of(), Db20.class, args);
  }

  /** Runs db20 with {@code args}, {@code stdin} on its standard input. */
  static Run run(String stdin, String... args) throws IOException, InterruptedException {
    return run(stdin, pb -> {}, command(args));
  }

  /** Runs {@code cmd} after {@code setup} adjusts the process (directory, redirects). */
  static Run run(String stdin, Consumer<ProcessBuilder> setup, List<String> cmd)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    setup.accept(pb);
    Process p = pb.start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), PUMPS);
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), PUMPS);
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The program may exit before reading its input.
    }
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "db20 did not exit");
    return new Run(
        p.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  /** The classpath with absolute entries, so a process started in another directory still works. */
  static String absoluteClasspath() {
    List<String> parts = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      parts.add(Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, parts);
  }

  /** All of {@code in}, then closes it. */
  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

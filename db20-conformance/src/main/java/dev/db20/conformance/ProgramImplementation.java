package dev.db20.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Implementation#program}: one process per script. Whatever the program does, a run is
 * bounded: standard output is kept up to {@link #MAX_STDOUT} bytes and standard error up to {@link
 * #MAX_STDERR}, the rest counted and dropped; a run past the timeout is killed; every process seen
 * under the program during the run (a wrapper's children, a daemon it forks) is killed when the run
 * ends, so none outlives it holding a pipe.
 */
final class ProgramImplementation implements Implementation {
  /** Standard output bytes kept per run (the largest vector expects under 2 MiB). */
  static final int MAX_STDOUT = 64 << 20;

  /** Standard error bytes kept per run: only its first line is compared. */
  static final int MAX_STDERR = 1 << 20;

  /** How often the processes under the program are listed while it runs. */
  private static final long WATCH_MILLIS = 20;

  /** How long the pipes may stay open after the program and its processes have been ended. */
  private static final long DRAIN_SECONDS = 10;

  /** The longest wait for the output due before a SIGTERM. */
  private static final long AWAIT_SECONDS = 10;

  /** Time for the program to reach its long {@code ops} after printing the awaited output. */
  private static final long SETTLE_MILLIS = 200;

  /**
   * Three pipe pumps per run (stdin, stdout, stderr), each blocked until the program is done with
   * its pipe: each needs a thread of its own, which a bounded shared pool cannot promise.
   */
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "db20-conformance-pipe");
            t.setDaemon(true);
            return t;
          });

  // The JDK words a failed exec two ways, by launch mechanism: "error=2, No such file or
  // directory" (fork/vfork) or "Exec failed, error: 2 (No such file or directory)" (jspawnhelper).
  private static final Pattern ERRNO = Pattern.compile("error(?:=\\d+, (.*)|: \\d+ \\((.*)\\))");

  private final List<String> argv;
  private final String program;
  private final String name;
  private final Duration timeout;

  ProgramImplementation(List<String> argv, Duration timeout) {
    this.argv = List.copyOf(argv);
    this.program = argv.get(0);
    Path file = Path.of(program).getFileName();
    this.name = file == null ? program : file.toString();
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Outcome run(byte[] script) throws IOException {
    return execute(command("run", "-"), script, null, null);
  }

  @Override
  public Optional<SnapshotChecker> checker() {
    return Optional.of(file -> execute(command("check", file.toString()), new byte[0], null, null));
  }

  @Override
  public Optional<ProcessRunner> processes() {
    return Optional.of(
        (script, condition, awaited) -> execute(command("run", "-"), script, condition, awaited));
  }

  private List<String> command(String... more) {
    List<String> c = new ArrayList<>(argv);
    c.addAll(List.of(more));
    return c;
  }

  /** One run; {@code condition} null for a plain run. */
  private Outcome execute(
      List<String> command, byte[] stdin, ProcessVector.Condition condition, byte[] awaited)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (condition == ProcessVector.Condition.STDOUT_FULL) {
      pb.redirectOutput(new java.io.File("/dev/full"));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CannotStartException(program, reason(e), e);
    }
    Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    try {
      Capture out = new Capture(MAX_STDOUT);
      if (condition == ProcessVector.Condition.STDOUT_CLOSED) {
        // The reading end goes before a byte is read: every write the program makes fails.
        p.getInputStream().close();
        out.done.complete(null);
      } else if (condition != ProcessVector.Condition.STDOUT_FULL) {
        PUMPS.submit(() -> out.pump(p.getInputStream()));
      } else {
        out.done.complete(null);
      }
      Capture err = new Capture(MAX_STDERR);
      PUMPS.submit(() -> err.pump(p.getErrorStream()));
      PUMPS.submit(() -> writeAll(p.getOutputStream(), stdin));
      long deadline = System.nanoTime() + timeout.toNanos();
      if (condition == ProcessVector.Condition.SIGTERM_AFTER_OUTPUT) {
        long until =
            Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS));
        while (out.size() < awaited.length && p.isAlive() && System.nanoTime() < until) {
          watch(p, seen);
        }
        Thread.sleep(SETTLE_MILLIS);
        // SIGTERM on a POSIX system. Through the handle: Process.destroy would also close the
        // pipes, and what the program printed before the signal would be lost to the pump.
        p.toHandle().destroy();
      }
      while (p.isAlive() && System.nanoTime() < deadline) {
        watch(p, seen);
      }
      boolean timedOut = p.isAlive();
      endAll(p, seen);
      if (timedOut) {
        throw new IOException("no exit within " + timeout.toSeconds() + " s; killed");
      }
      // The pipes close when the last process holding them ends: every one seen has been ended.
      if (!out.done.await(DRAIN_SECONDS) || !err.done.await(DRAIN_SECONDS)) {
        throw new IOException(
            "a process started by '"
                + program
                + "' still holds its output "
                + DRAIN_SECONDS
                + " s after it exited");
      }
      return new Outcome(
          out.bytes(),
          new String(err.bytes(), StandardCharsets.ISO_8859_1),
          p.exitValue(),
          out.dropped());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      endAll(p, seen);
      throw new IOException("interrupted", e);
    }
  }

  /** Waits a little for {@code p}, noting every process under it meanwhile. */
  private static void watch(Process p, Set<ProcessHandle> seen) throws InterruptedException {
    p.descendants().forEach(seen::add);
    p.waitFor(WATCH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Ends {@code p} and every process seen under it, whether or not it is still a descendant.
   * Through handles: Process.destroyForcibly would close the pipes under the pumps.
   */
  private static void endAll(Process p, Set<ProcessHandle> seen) {
    p.descendants().forEach(seen::add);
    p.toHandle().destroyForcibly();
    for (ProcessHandle h : seen) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    }
  }

  /** The OS reason of a failed start, without Java's {@code Cannot run program ...} wrapping. */
  static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = ERRNO.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return (m.group(1) != null ? m.group(1) : m.group(2)).strip();
      }
    }
    return String.valueOf(e.getMessage());
  }

  private static Void writeAll(OutputStream stdin, byte[] script) {
    try (stdin) {
      stdin.write(script);
    } catch (IOException e) {
      // The program may stop reading early (a bad line); what it printed still counts.
    }
    return null;
  }

  /** One output stream of the program: the first {@code max} bytes kept, the rest counted. */
  static final class Capture {
    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;
    final Done done = new Done();

    Capture(int max) {
      this.max = max;
    }

    Void pump(InputStream in) {
      byte[] buf = new byte[64 << 10];
      try (in) {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (this) {
            int keep = Math.min(n, max - kept.size());
            kept.write(buf, 0, keep);
            dropped += n - keep;
          }
        }
      } catch (IOException e) {
        // The pipe broke: what was read stands.
      } finally {
        done.complete(null);
      }
      return null;
    }

    synchronized long size() {
      return kept.size() + dropped;
    }

    synchronized byte[] bytes() {
      return kept.toByteArray();
    }

    synchronized long dropped() {
      return dropped;
    }
  }

  /** A latch that a pump opens when its stream ends. */
  static final class Done extends java.util.concurrent.CompletableFuture<Void> {
    boolean await(long seconds) throws InterruptedException {
      try {
        get(seconds, TimeUnit.SECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        return true;
      }
    }
  }
}

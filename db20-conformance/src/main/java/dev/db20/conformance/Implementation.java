package dev.db20.conformance;

import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An implementation of SPEC under test: it takes a script's bytes and gives an {@link Outcome}
 * (standard output bytes, standard error, exit status). This is what a TCK user supplies.
 *
 * <p>{@link #java()} is this reactor, in-process; {@link #program} is any binary that follows the
 * conformance protocol: started as {@code PROGRAM [ARGS...] run -}, the script on its standard
 * input. It is a functional interface, so an in-process implementation can be a lambda.
 */
@FunctionalInterface
public interface Implementation {
  /** The timeout {@link #program(List)} uses: 30 s per vector, the largest runs in well under 1 s. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** A short name for reports; override it, the default is {@code implementation}. */
  default String name() {
    return "implementation";
  }

  /**
   * Runs {@code script} and reports what it printed and its exit status.
   *
   * @throws CannotStartException if the implementation cannot run at all (no point trying the
   *     other vectors)
   * @throws IOException if this one run could not be carried out (for example a timeout)
   */
  Outcome run(byte[] script) throws IOException;

  /**
   * The {@code check FILE} command of SPEC §7.7, if this implementation has it; {@link #java()}
   * and {@link #program} do. The suite's check vectors fail on an implementation without it.
   */
  default Optional<SnapshotChecker> checker() {
    return Optional.empty();
  }

  /** Runs {@code check FILE} (SPEC §7.7). */
  @FunctionalInterface
  interface SnapshotChecker {
    /**
     * Checks the snapshot file {@code file} and reports what was printed and the exit status.
     *
     * @throws IOException if this one run could not be carried out
     */
    Outcome check(Path file) throws IOException;
  }

  /** The Java implementation, run in this process. */
  static Implementation java() {
    return new Implementation() {
      @Override
      public String name() {
        return "java";
      }

      @Override
      public Outcome run(byte[] script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
          new ScriptRunner(out).run(new ByteArrayInputStream(script));
          return new Outcome(out.toByteArray(), "", 0);
        } catch (ScriptException e) {
          return new Outcome(out.toByteArray(), e.getMessage() + "\n", Vector.ERROR_EXIT);
        }
      }

      @Override
      public Optional<SnapshotChecker> checker() {
        return Optional.of(file -> {
          SnapshotCheck.Result r = SnapshotCheck.check(Files.readAllBytes(file));
          return new Outcome((r.line() + "\n").getBytes(StandardCharsets.ISO_8859_1), "", r.exit());
        });
      }
    };
  }

  /** {@link #program(List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  static Implementation program(List<String> argv) {
    return program(argv, DEFAULT_TIMEOUT);
  }

  /**
   * An external program: {@code argv} (the program, then its own arguments, each passed as is,
   * never split) followed by {@code run -}, the script on its standard input. A run longer than
   * {@code timeout} is killed and reported as an {@link IOException}.
   *
   * @param argv the program and its arguments; not empty
   * @param timeout the longest one run may take
   */
  static Implementation program(List<String> argv, Duration timeout) {
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("the program to run is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new ProgramImplementation(argv, timeout);
  }

  /** The implementation could not be started at all; the message names the program and why. */
  final class CannotStartException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code cannot start 'PROGRAM': REASON}. */
    public CannotStartException(String program, String reason, Throwable cause) {
      super("cannot start '" + program + "': " + reason, cause);
    }
  }
}

/** {@link Implementation#program}: one process per script. */
final class ProgramImplementation implements Implementation {
  /**
   * Three pipe pumps per run (stdin, stdout, stderr), each blocked until the program is done with
   * its pipe: each needs a thread of its own, which a bounded shared pool cannot promise.
   */
  private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "db20-conformance-pipe");
    t.setDaemon(true);
    return t;
  });
  // The JDK words a failed exec two ways, by launch mechanism: "error=2, No such file or
  // directory" (fork/vfork) or "Exec failed, error: 2 (No such file or directory)" (jspawnhelper).
  private static final Pattern ERRNO = Pattern.compile("error(?:=\\d+, (.*)|: \\d+ \\((.*)\\))");

  private final List<String> command;
  private final String program;
  private final String name;
  private final Duration timeout;

  ProgramImplementation(List<String> argv, Duration timeout) {
    List<String> c = new ArrayList<>(argv);
    c.add("run");
    c.add("-");
    this.command = List.copyOf(c);
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
    return execute(command, script);
  }

  @Override
  public Optional<SnapshotChecker> checker() {
    return Optional.of(file -> {
      List<String> c = new ArrayList<>(command.subList(0, command.size() - 2));
      c.add("check");
      c.add(file.toString());
      return execute(c, new byte[0]);
    });
  }

  private Outcome execute(List<String> command, byte[] script) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new CannotStartException(program, reason(e), e);
    }
    Future<byte[]> out = PUMPS.submit(() -> readAll(p.getInputStream()));
    Future<byte[]> err = PUMPS.submit(() -> readAll(p.getErrorStream()));
    PUMPS.submit(() -> writeAll(p.getOutputStream(), script));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        // A wrapper script's children would keep the pipes open: end them too.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException("no exit within " + timeout.toSeconds() + " s; killed");
      }
      // The streams end when the process does, unless a child of it still holds them: bounded.
      return new Outcome(out.get(10, TimeUnit.SECONDS),
          new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1), p.exitValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("cannot read the output of '" + program + "': " + e, e);
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

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Void writeAll(OutputStream stdin, byte[] script) {
    try (stdin) {
      stdin.write(script);
    } catch (IOException e) {
      // The program may stop reading early (a bad line); what it printed still counts.
    }
    return null;
  }
}

package dev.db20.conformance;

import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An implementation of SPEC under test: something that takes a script and gives an {@link
 * Outcome}. {@link #java()} is this reactor, in-process; {@link #external} is any program that
 * takes {@code run -} with the script on standard input (the Rust, Go and C++ ports).
 */
public interface Implementation {
  /** A short name for reports. */
  String name();

  /** Runs {@code script} and reports what it printed and its exit status. */
  Outcome run(byte[] script) throws IOException;

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
          return new Outcome(out.toByteArray(), e.getMessage() + "\n", 2);
        }
      }
    };
  }

  /**
   * An external program: {@code command} followed by {@code run -}, the script on its standard
   * input. Killed if it runs longer than {@code timeoutSeconds}.
   */
  static Implementation external(String name, List<String> command, long timeoutSeconds) {
    List<String> argv = new ArrayList<>(command);
    argv.add("run");
    argv.add("-");
    List<String> fixed = List.copyOf(argv);
    return new Implementation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcome run(byte[] script) throws IOException {
        Process p = new ProcessBuilder(fixed).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var stdin = p.getOutputStream()) {
          stdin.write(script);
        } catch (IOException e) {
          // The program may stop reading early (a bad line); what it printed still counts.
        }
        try {
          if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(name + ": no exit within " + timeoutSeconds + " s");
          }
          return new Outcome(out.join(), new String(err.join(), StandardCharsets.UTF_8), p.exitValue());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw new IOException("interrupted", e);
        }
      }
    };
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

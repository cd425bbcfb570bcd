package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against the real program, as a separate process (issue 10): a huge bad line, a
 * terminal escape sequence, and a never-ending {@code ops} stopped by SIGTERM. What counts is the
 * bytes a terminal or a calling program receives.
 */
class HostileInputTest {
  @TempDir Path tmp;

  record Raw(int exit, byte[] out, byte[] err) {}

  static Raw run(List<String> cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getErrorStream()));
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "db20 did not exit");
    return new Raw(p.exitValue(), out.join(), err.join());
  }

  Path file(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(tmp, "script", ".txt");
    Files.write(p, bytes);
    return p;
  }

  @Test
  void aTenMegabyteBadLineGivesOneShortStderrLine() throws Exception {
    int size = 10 * 1024 * 1024;
    byte[] script = new byte[10 + size + 1];
    byte[] head = "cluster 1\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, script, 0, head.length);
    for (int i = 0; i < size; i++) {
      // Printable and control bytes mixed, never a blank or a newline: one 10 MB token.
      int c = (i * 7 + 0x21) % 0x7f;
      script[head.length + i] = (byte) (c == 0x20 || c == 0x09 || c == 0x0a ? 'x' : c);
    }
    script[script.length - 2] = 'x'; // not a \r, which the line ending would drop
    script[script.length - 1] = '\n';
    Raw r = run(Db20Process.command("run", file(script).toString()));
    assertEquals(2, r.exit());
    assertEquals(0, r.out().length);
    String err = new String(r.err(), StandardCharsets.US_ASCII);
    assertTrue(err.length() < 400, "stderr is " + r.err().length + " bytes");
    assertTrue(err.startsWith("error line 2: unknown command '"), err);
    assertTrue(err.endsWith("...(" + size + " bytes)'\n"), err);
    assertEquals(1, err.lines().count(), err);
  }

  @Test
  void anEscapeSequenceNeverReachesStderrRaw() throws Exception {
    byte[] script =
        "cluster 1\nput a v\n\u001b]0;pwned\u0007\u001b[2J\n".getBytes(StandardCharsets.ISO_8859_1);
    Raw r = run(Db20Process.command("run", file(script).toString()));
    assertEquals(2, r.exit());
    assertEquals("committed 1\n", new String(r.out(), StandardCharsets.US_ASCII));
    assertEquals(
        "error line 3: unknown command '\\x1b]0;pwned\\x07\\x1b[2J'\n",
        new String(r.err(), StandardCharsets.US_ASCII));
    for (byte b : r.err()) {
      assertTrue(b == '\n' || (b >= 0x20 && b <= 0x7e), "raw byte " + (b & 0xff) + " on stderr");
    }
  }

  @Test
  void nonAsciiAndNulInATokenAreEscapedWhole() throws Exception {
    byte[] script = "cluster 1\nseed 1\u0000\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Raw r = run(Db20Process.command("run", file(script).toString()));
    assertEquals(2, r.exit());
    assertEquals(
        "error line 2: invalid number '1\\x00\\xe9' (want decimal or 0x hex, at most 2^64-1)\n",
        new String(r.err(), StandardCharsets.US_ASCII));
  }

  /**
   * N15 and constant memory: {@code ops 2^64-1} runs until SIGTERM stops it; what the earlier lines
   * printed is on stdout while it runs (flushed before {@code ops}) and after the signal, and the
   * resident set size sampled twice a second apart stays flat. The heap is fixed and touched at
   * start ({@code -Xms} = {@code -Xmx}, {@code AlwaysPreTouch}), so the RSS does not move with
   * garbage, and a leak per op would end the run with an OutOfMemoryError long before the signal.
   */
  @Test
  void aHugeOpsIsStoppedBySigtermWithEarlierOutputFlushedInFlatMemory() throws Exception {
    String prefix = "cluster 3\nput a v\npartition 2\nput b w\ndigest\n";
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    new ScriptRunner(expected)
        .run(new ByteArrayInputStream(prefix.getBytes(StandardCharsets.US_ASCII)));
    Path script =
        file((prefix + "ops 18446744073709551615\ndigest\n").getBytes(StandardCharsets.US_ASCII));
    List<String> cmd =
        Db20Process.java(
            List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch"),
            Db20.class,
            "run",
            script.toString());
    Process p = new ProcessBuilder(cmd).start();
    // stdout is copied as it arrives, so the test sees the flush before `ops` while it runs.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread copier =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                  synchronized (out) {
                    out.write(buf, 0, n);
                  }
                }
              } catch (IOException e) {
                // The process ended; what arrived is in out.
              }
            });
    copier.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getErrorStream()));
    try {
      // The lines before `ops` arrive while `ops` runs (N15); JVM start-up on a busy machine
      // may take seconds, so wait for them rather than for a fixed time.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (size(out) < expected.size() && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(
          p.isAlive(),
          "the ops run ended early: "
              + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
      assertArrayEquals(
          expected.toByteArray(), bytes(out), "the lines before `ops` are flushed before it runs");
      // Then the RSS, sampled twice a second apart once the ops loop has run for two seconds
      // (the JIT settles in the first).
      Thread.sleep(2000);
      long rss1 = rssKb(p.pid());
      Thread.sleep(1000);
      long rss2 = rssKb(p.pid());
      assertTrue(p.isAlive());
      // Flat: a run that kept anything per op would gain tens of MB a second at millions of ops/s.
      assertTrue(
          rss2 <= rss1 + 16 * 1024,
          "RSS grew from " + rss1 + " kB to " + rss2 + " kB in one second");
    } finally {
      p.destroy(); // SIGTERM
    }
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "db20 did not stop promptly on SIGTERM");
    assertEquals(143, p.exitValue(), "killed by SIGTERM (128 + 15)");
    copier.join(10_000);
    assertArrayEquals(
        expected.toByteArray(),
        bytes(out),
        "stdout after SIGTERM must hold the lines printed before `ops`, and nothing else");
    assertFalse(new String(err.join(), StandardCharsets.UTF_8).contains("OutOfMemoryError"));
  }

  private static int size(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.size();
    }
  }

  private static byte[] bytes(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toByteArray();
    }
  }

  static long rssKb(long pid) throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
    assertTrue(m.find(), status);
    return Long.parseLong(m.group(1));
  }
}

package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/spec-notes.md N14: a standard output that cannot be written ({@code > /dev/full}) ends the
 * program with exactly {@code error: cannot write to standard output} on stderr and exit 2, never a
 * stack trace and never exit 0 — for {@code run} and for {@code check}.
 */
class StdoutFailureTest {
  @TempDir Path tmp;

  static HostileInputTest.Raw toDevFull(String... args) throws Exception {
    Process p =
        new ProcessBuilder(Db20Process.command(args))
            .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/full")))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getErrorStream()));
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("db20 did not exit");
    }
    return new HostileInputTest.Raw(p.exitValue(), new byte[0], err.join());
  }

  @Test
  void runToDevFull() throws Exception {
    Path script = Files.writeString(tmp.resolve("s.txt"), "cluster 1\nput a v\ndigest\n");
    HostileInputTest.Raw r = toDevFull("run", script.toString());
    assertEquals(
        "error: cannot write to standard output\n", new String(r.err(), StandardCharsets.UTF_8));
    assertEquals(2, r.exit());
  }

  @Test
  void checkToDevFull() throws Exception {
    HostileInputTest.Raw r =
        toDevFull("check", CheckCommandTest.CORPUS.resolve("check-good-one.db20").toString());
    assertEquals(
        "error: cannot write to standard output\n", new String(r.err(), StandardCharsets.UTF_8));
    assertEquals(2, r.exit());
  }
}

package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's first table against the real program: hostile files for {@code check} and huge lines
 * for {@code run}, each with its peak resident set size (VmHWM, sampled every few milliseconds
 * while the process lives) held under {@link #MAX_PEAK_KB} and a prompt exit. Big inputs come
 * through a pipe, generated as they are written; only the sparse file is on disk.
 */
class HostileFilesTest {
  /** The bound on every run's peak RSS: far below what holding any of these inputs would need. */
  static final long MAX_PEAK_KB = 256 * 1024;

  /** Bytes of the huge lines: past the 1 GiB where Java's line buffer used to overflow. */
  static final long HUGE = 1_100L << 20;

  @TempDir Path tmp;

  record Measured(int exit, String out, String err, long peakKb) {}

  /** Runs db20 with {@code args}; {@code feed} (if not null) writes its standard input. */
  static Measured run(Feed feed, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Db20Process.command(args));
    if (feed == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> Db20Process.readAll(p.getErrorStream()));
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream in = p.getOutputStream()) {
                if (feed != null) {
                  feed.write(in);
                }
              } catch (IOException e) {
                // The program stopped reading (it refused the line early): the rest is not needed.
              }
            });
    writer.setDaemon(true);
    writer.start();
    long peak = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (p.isAlive() && System.nanoTime() < deadline) {
      peak = Math.max(peak, hwmKb(p.pid()));
      Thread.sleep(5);
    }
    assertTrue(
        p.waitFor(1, TimeUnit.SECONDS), "db20 " + Arrays.toString(args) + " did not exit in 180 s");
    return new Measured(
        p.exitValue(),
        new String(out.join(), StandardCharsets.ISO_8859_1),
        new String(err.join(), StandardCharsets.ISO_8859_1),
        peak);
  }

  interface Feed {
    void write(OutputStream in) throws IOException;
  }

  /** {@code head}, then {@code n} bytes of {@code fill}, then {@code tail}. */
  static Feed line(String head, long n, byte fill, String tail) {
    return in -> {
      in.write(head.getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 16];
      Arrays.fill(chunk, fill);
      for (long left = n; left > 0; left -= chunk.length) {
        in.write(chunk, 0, (int) Math.min(left, chunk.length));
      }
      in.write(tail.getBytes(StandardCharsets.US_ASCII));
    };
  }

  static void bounded(Measured m) {
    assertTrue(m.peakKb() > 0, "no RSS sample taken");
    assertTrue(m.peakKb() < MAX_PEAK_KB, "peak RSS " + m.peakKb() + " kB: " + m.err());
  }

  @Test
  void checkOfDevZeroIsRefusedBeforeAByteIsRead() throws Exception {
    Measured m = run(null, "check", "/dev/zero");
    assertEquals(
        new Measured(2, "", "error: cannot read /dev/zero: not a regular file\n", m.peakKb()), m);
    bounded(m);
  }

  @Test
  void checkOfAFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = tmp.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mk.waitFor());
    // Nobody ever opens the other end: opening it for reading would block for ever.
    Measured m = run(null, "check", fifo.toString());
    assertEquals(
        new Measured(2, "", "error: cannot read " + fifo + ": not a regular file\n", m.peakKb()),
        m);
    bounded(m);
  }

  @Test
  void checkOfA4GibSparseFileStopsAtTheFirstBadField() throws Exception {
    Path zeros = tmp.resolve("zeros");
    try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
      f.setLength(4L << 30);
    }
    Measured m = run(null, "check", zeros.toString());
    assertEquals(new Measured(1, "refused offset 0: bad magic\n", "", m.peakKb()), m);
    bounded(m);
    // A good header and a count of 1000, then zeros: the first key length is 0.
    Path header = tmp.resolve("header");
    try (RandomAccessFile f = new RandomAccessFile(header.toFile(), "rw")) {
      f.write(
          new byte[] {
            'D', 'B', '2', '0', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xe8, 3, 0, 0
          });
      f.setLength(4L << 30);
    }
    m = run(null, "check", header.toString());
    assertEquals(new Measured(1, "refused offset 20: empty key\n", "", m.peakKb()), m);
    bounded(m);
  }

  @Test
  void aHugeCommentLineThroughAPipeIsSkippedInBoundedMemory() throws Exception {
    Measured m = run(line("cluster 1\n#", HUGE, (byte) 'c', "\nput a b\n"), "run", "-");
    assertEquals(new Measured(0, "committed 1\n", "", m.peakKb()), m);
    bounded(m);
  }

  @Test
  void getOfAHugeKeyThroughAPipeIsMissingInBoundedMemory() throws Exception {
    Measured m = run(line("cluster 1\nget ", HUGE, (byte) 'k', "\nnoop\n"), "run", "-");
    assertEquals(new Measured(0, "missing\ncommitted 1\n", "", m.peakKb()), m);
    bounded(m);
  }

  @Test
  void aHugeValueIsRefusedAsItPassesTheLimit() throws Exception {
    Measured m = run(line("cluster 1\nput k ", HUGE, (byte) 'v', "\n"), "run", "-");
    assertEquals(
        new Measured(
            2, "", "error line 2: value length exceeds the limit of 1048576 bytes\n", m.peakKb()),
        m);
    bounded(m);
  }

  @Test
  void aHugeUnknownCommandIsCountedNotHeld() throws Exception {
    Measured m = run(line("cluster 1\n", HUGE, (byte) 'x', "\n"), "run", "-");
    assertEquals(
        new Measured(
            2,
            "",
            "error line 2: unknown command '" + "x".repeat(64) + "...(" + HUGE + " bytes)'\n",
            m.peakKb()),
        m);
    bounded(m);
  }

  static long hwmKb(long pid) {
    try {
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      Matcher m = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(status);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException e) {
      return 0; // the process ended between isAlive and the read
    }
  }
}

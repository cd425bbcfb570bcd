package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.ratis.Certificates;
import dev.db20.ratis.Endpoints;
import dev.db20.ratis.ListeningSockets;
import dev.db20.ratis.NodeDigest;
import dev.db20.ratis.Peers;
import dev.db20.ratis.RatisCluster;
import dev.db20.ratis.ShmTempDir;
import dev.db20.ratis.SnapshotFiles;
import dev.db20.wire.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator (or an attacker) meets, on real {@code db20 server} and {@code db20 local}
 * processes, one node each so the module stays quick: loopback-only listening, refusals of an empty
 * or mismatched data directory, SIGTERM honoured, a full disk and unloadable snapshots ending the
 * process with one line instead of a stuck or spinning node.
 */
class OperatorProcessTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  private static List<String> java(Class<?> main, String... args) {
    return Db20Process.java(List.of("-Xmx256m"), main, args);
  }

  /** Starts {@code db20 server} with {@code args}, stderr and stdout into {@code log}. */
  private static Process server(Path log, String... args) throws IOException {
    return new ProcessBuilder(java(ServerCommand.class, args))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static int exitWithin(Process p, int seconds) throws InterruptedException {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("process still running after " + seconds + " s");
    }
    return p.exitValue();
  }

  /** Waits until {@code log} contains {@code text}. */
  private static void await(Path log, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      assertTrue(p.isAlive(), "exited before '" + text + "':\n" + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' in:\n" + Files.readString(log));
      Thread.sleep(100);
    }
  }

  private static List<String> errorLines(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("db20 server:")).toList();
  }

  @Test
  void localListensOnLoopbackOnlyWithTlsAndStopsOnSigterm() throws Exception {
    Path data = dir.resolve("local");
    Path log = dir.resolve("local.log");
    Process local =
        new ProcessBuilder(java(LocalCommand.class, "--nodes", "1", "--dir", data.toString()))
            .redirectError(log.toFile())
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(local.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertTrue(
          line != null && line.matches("--peers 0=127\\.0\\.0\\.1:\\d+ --tls-dir .*/tls"), line);
      Peers p = Peers.parse(line.split(" ")[1]);
      try (RatisCluster c = new RatisCluster(p, Optional.of(data.resolve("tls")))) {
        assertEquals(1, c.put(Bytes.ofAscii("k"), Bytes.ofAscii("v")));
      }
      for (int k = 0; k <= Endpoints.ADMIN_PORT_OFFSET; k++) {
        assertEquals(
            List.of(new ListeningSockets.Listener("127.0.0.1", p.port(0) + k)),
            ListeningSockets.on(p.port(0) + k),
            "port " + (p.port(0) + k));
      }
      local.destroy(); // SIGTERM
      long t0 = System.nanoTime();
      exitWithin(local, 30);
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
      assertEquals(List.of(), ListeningSockets.on(p.port(0)), "node still listening");
    } finally {
      local.destroyForcibly();
    }
  }

  @Test
  void emptyOrMismatchedDataIsRefusedAndSigtermIsHonoured() throws Exception {
    Peers p = Peers.freeLoopback(1);
    Path data = dir.resolve("n0");
    Path log = dir.resolve("n0.log");
    // No data, no --bootstrap: refused (a wiped node cannot form an empty majority).
    Process empty =
        server(log, "--id", "0", "--peers", p.toString(), "--dir", data.toString(), "--insecure");
    assertEquals(2, exitWithin(empty, 60));
    assertTrue(
        errorLines(log).get(1).contains(data + " holds no node: to form a new cluster"),
        Files.readString(log));
    assertFalse(Files.exists(data));

    Process node =
        server(
            log,
            "--id",
            "0",
            "--peers",
            p.toString(),
            "--dir",
            data.toString(),
            "--insecure",
            "--bootstrap");
    await(log, "serving peers on", node);
    try (RatisCluster c = new RatisCluster(p)) {
      assertEquals(1, c.put(Bytes.ofAscii("k"), Bytes.ofAscii("v")));
    }
    node.destroy(); // SIGTERM
    long t0 = System.nanoTime();
    exitWithin(node, 30);
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(stopMillis < (ServerCommand.STOP_SECONDS + 10) * 1000L, stopMillis + " ms");

    // A changed --peers (a new own port) and another node's data are refused, naming both.
    Peers moved = Peers.freeLoopback(1);
    Files.writeString(log, "");
    assertEquals(
        2,
        exitWithin(
            server(
                log,
                "--id",
                "0",
                "--peers",
                moved.toString(),
                "--dir",
                data.toString(),
                "--insecure"),
            60));
    assertTrue(
        Files.readString(log)
            .contains(data + " holds node 0 of --peers " + p + ", not of --peers " + moved),
        Files.readString(log));
    Peers two = Peers.parse(p + ",1=127.0.0.1:" + (p.port(0) + 10));
    Files.writeString(log, "");
    assertEquals(
        2,
        exitWithin(
            server(
                log,
                "--id",
                "1",
                "--peers",
                two.toString(),
                "--dir",
                data.toString(),
                "--insecure"),
            60));
    assertTrue(
        Files.readString(log).contains(data + " holds node 0, not --id 1"), Files.readString(log));
  }

  /** A 1 MiB tmpfs for the node's data (this test runs as root, as CI does). */
  @Test
  void aFullDiskEndsTheNodeWithThePathAndErrno() throws Exception {
    Path mnt = dir.resolve("small");
    Files.createDirectories(mnt);
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
            .redirectErrorStream(true)
            .start();
    assertEquals(
        0,
        exitWithin(mount, 30),
        "mount -t tmpfs (needs root): "
            + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path log = dir.resolve("full.log");
    Process node = null;
    try {
      Peers p = Peers.freeLoopback(1);
      Path data = mnt.resolve("n0");
      node =
          server(
              log,
              "--id",
              "0",
              "--peers",
              p.toString(),
              "--dir",
              data.toString(),
              "--insecure",
              "--bootstrap",
              "--segment-bytes",
              "65536");
      await(log, "serving peers on", node);
      Bytes value = Bytes.copyOf(new byte[4000]);
      try (RatisCluster c = new RatisCluster(p)) {
        for (int i = 0; i < 1000 && node.isAlive(); i++) {
          c.put(Bytes.ofAscii("k" + i), value);
        }
      } catch (RuntimeException expected) {
        // The node stopped answering: it failed and exits.
      }
      assertEquals(1, exitWithin(node, 60));
      String text = Files.readString(log);
      assertTrue(text.contains("db20 server: ERROR node 0 storage failed: " + data), text);
      assertTrue(text.contains("No space left on device (errno ENOSPC)"), text);
    } finally {
      if (node != null) {
        node.destroyForcibly();
        node.waitFor(30, TimeUnit.SECONDS);
      }
      new ProcessBuilder("umount", mnt.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void unloadableSnapshotsAndAPurgedLogEndTheNodeWithOneLine() throws Exception {
    Peers p = Peers.freeLoopback(1);
    Path data = dir.resolve("n0");
    Path log = dir.resolve("n0.log");
    Path tls = dir.resolve("tls");
    Certificates.create(tls, 1, List.of());
    Process node =
        server(
            log,
            "--id",
            "0",
            "--peers",
            p.toString(),
            "--dir",
            data.toString(),
            "--tls-dir",
            tls.toString(),
            "--bootstrap",
            "--snapshot-every",
            "20",
            "--segment-bytes",
            "1024",
            "--purge-gap",
            "1");
    await(log, "serving peers on", node);
    try (RatisCluster c = new RatisCluster(p, Optional.of(tls))) {
      for (int i = 0; i < 120; i++) {
        c.put(Bytes.ofAscii("k" + (i % 7)), Bytes.ofAscii("v" + i));
      }
      NodeDigest d = c.nodeDigest(0);
      assertEquals(120, d.index());
    }
    node.destroy();
    exitWithin(node, 30);
    Path sm = data.resolve(Peers.groupDirectoryName()).resolve("sm");
    List<SnapshotFiles.Ref> snaps = SnapshotFiles.list(sm);
    assertFalse(snaps.isEmpty());
    for (SnapshotFiles.Ref r : snaps) {
      byte[] b = Files.readAllBytes(r.path());
      b[b.length - 1] ^= 1; // the CRC no longer matches
      Files.write(r.path(), b);
    }
    Files.writeString(log, "");
    Process again =
        server(
            log,
            "--id",
            "0",
            "--peers",
            p.toString(),
            "--dir",
            data.toString(),
            "--tls-dir",
            tls.toString());
    assertEquals(1, exitWithin(again, 60));
    String text = Files.readString(log);
    assertTrue(
        text.contains(
            "db20 server: ERROR node 0 cannot start: "
                + sm
                + ": no snapshot can be loaded and the log starts at index "),
        text);
  }
}

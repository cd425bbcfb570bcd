package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.ReadResult;
import dev.db20.wire.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit bootstrap, a pinned identity, membership through the admin endpoint. */
class IdentityTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  private NodeConfig node(Peers peers, int id, String sub) {
    return NodeConfig.of(peers, id, dir.resolve(sub))
        .withSettings(Db20Server.Settings.SMALL)
        .withInsecure();
  }

  private static String refusal(NodeConfig c) {
    return assertThrows(IllegalArgumentException.class, () -> Db20Server.start(c).close())
        .getMessage();
  }

  @Test
  void anEmptyDirectoryWithoutBootstrapIsRefusedAndLeftAlone() throws Exception {
    Peers p = Peers.freeLoopback(1);
    assertEquals(
        dir.resolve("n0")
            + " holds no node: to form a new cluster start each node once"
            + " with --bootstrap; to add this node to a running cluster start it with --join, then"
            + " run db20 admin add-node 0="
            + p.address(0),
        refusal(node(p, 0, "n0")));
    assertFalse(Files.exists(dir.resolve("n0")));
  }

  @Test
  void restartsMustMatchThePinnedIdentityAndAWipedMajorityIsRefused() throws Exception {
    Peers p = Peers.freeLoopback(3);
    List<Db20Server> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(
            Db20Server.start(node(p, i, "n" + i).withStartup(NodeConfig.Startup.BOOTSTRAP)));
      }
      try (RatisCluster c = new RatisCluster(p)) {
        for (int i = 1; i <= 5; i++) {
          assertEquals(i, c.put(Bytes.ofAscii("k"), Bytes.ofAscii("v" + i)));
        }
      }
    } finally {
      for (Db20Server s : servers) {
        s.close();
      }
    }
    Path n0 = dir.resolve("n0");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(n0)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(NodeIdentity.file(n0))));
    assertEquals(
        new NodeIdentity(Peers.groupDirectoryName(), 0, p.toString()), NodeIdentity.read(n0));

    // Node 2's data started as node 0.
    assertEquals(
        dir.resolve("n2") + " holds node 2, not --id 0 (of --peers " + p + ")",
        refusal(node(p, 0, "n2")));
    // A changed --peers: five nodes instead of three, or a new own port.
    Peers five = Peers.freeLoopback(5);
    assertEquals(
        n0 + " holds node 0 of --peers " + p + ", not of --peers " + five,
        refusal(node(five, 0, "n0")));
    // Bootstrap again over existing data.
    assertEquals(
        n0 + " already holds node 0 of --peers " + p + ": start it again without --bootstrap",
        refusal(node(p, 0, "n0").withStartup(NodeConfig.Startup.BOOTSTRAP)));
    // Two of three nodes wiped: neither starts, so no empty majority forms.
    for (String wiped : List.of("n1", "n2")) {
      try (var s = Files.walk(dir.resolve(wiped))) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    assertTrue(refusal(node(p, 1, "n1")).startsWith(dir.resolve("n1") + " holds no node"));
    // Raft storage gone but the identity kept.
    Path group = n0.resolve(Peers.groupDirectoryName());
    Path moved = dir.resolve("moved");
    Files.move(group, moved);
    assertTrue(refusal(node(p, 0, "n0")).contains("identity but no Raft storage"));
    Files.move(moved, group);
  }

  @Test
  void addAndRemoveANodeAsAdmin() throws Exception {
    Path tls = dir.resolve("tls");
    Certificates.create(tls, 4, List.of());
    Peers four = Peers.freeLoopback(4);
    Peers three = Peers.parse(four.toString().substring(0, four.toString().lastIndexOf(',')));
    List<Db20Server> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(
            Db20Server.start(
                NodeConfig.of(three, i, dir.resolve("n" + i))
                    .withSettings(Db20Server.Settings.SMALL)
                    .withTls(tls)
                    .withStartup(NodeConfig.Startup.BOOTSTRAP)));
      }
      try (RatisCluster c = new RatisCluster(three, Optional.of(tls))) {
        for (int i = 1; i <= 5; i++) {
          c.put(Bytes.ofAscii("k"), Bytes.ofAscii("v" + i));
        }
      }
      servers.add(
          Db20Server.start(
              NodeConfig.of(four, 3, dir.resolve("n3"))
                  .withSettings(Db20Server.Settings.SMALL)
                  .withTls(tls)
                  .withStartup(NodeConfig.Startup.JOIN)));
      assertEquals(
          four.toString(), Membership.addNode(three, Optional.of(tls), 3, four.endpoint(3)));
      try (RatisCluster c = new RatisCluster(four, Optional.of(tls))) {
        assertEquals(6, c.put(Bytes.ofAscii("k"), Bytes.ofAscii("v6")));
        assertEquals(6, c.nodeDigest(3).index());
        assertEquals(new ReadResult.Value(Bytes.ofAscii("v6")), c.read(Bytes.ofAscii("k")));
      }
      // Every node records the new membership (applied on each as the entry commits).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int i = 0; i < 4; i++) {
        while (!NodeIdentity.read(dir.resolve("n" + i)).peers().equals(four.toString())) {
          assertTrue(System.nanoTime() < deadline, "node " + i + " never recorded " + four);
          Thread.sleep(50);
        }
      }
      assertEquals(three.toString(), Membership.removeNode(four, Optional.of(tls), 3));
    } finally {
      for (Db20Server s : servers) {
        s.close();
      }
    }
    // Node 0 restarted with the old membership is refused; with the current one it recovers.
    assertTrue(
        refusal(NodeConfig.of(four, 0, dir.resolve("n0")).withTls(tls))
            .endsWith("holds node 0 of --peers " + three + ", not of --peers " + four));
  }
}

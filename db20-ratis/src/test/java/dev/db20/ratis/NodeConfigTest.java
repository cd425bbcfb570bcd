package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a node binds: its own --peers entry, never the wildcard unless told. */
class NodeConfigTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  @Test
  void defaultsBindTheNodesOwnPeersHostAndLoopbackAdmin() {
    Peers p = Peers.parse("0=10.1.2.3:7000,1=10.1.2.4:7100");
    NodeConfig c = NodeConfig.of(p, 1, dir);
    assertEquals(
        new Endpoints(
            new Endpoint("10.1.2.4", 7100),
            new Endpoint("10.1.2.4", 7101),
            new Endpoint("127.0.0.1", 7102)),
        c.endpoints());
    // The client of the cluster reaches the same client port, and the admin port by --peers.
    assertEquals("10.1.2.4:7101", p.peer(1).getClientAddress());
    assertEquals("10.1.2.4:7102", p.peer(1).getAdminAddress());
    assertEquals("10.1.2.4:7100", p.peer(1).getAddress());
  }

  @Test
  void listenMovesPeerAndClientAdminListenMovesAdmin() {
    Peers p = Peers.parse("0=127.0.0.1:9000");
    NodeConfig c =
        NodeConfig.of(p, 0, dir)
            .withListen(
                Optional.of(Endpoint.parse("0.0.0.0:8000")),
                Optional.of(Endpoint.parse("[::1]:8500")));
    assertEquals(
        new Endpoints(
            new Endpoint("0.0.0.0", 8000),
            new Endpoint("0.0.0.0", 8001),
            new Endpoint("[::1]", 8500)),
        c.endpoints());
    assertTrue(c.endpoints().admin().isLoopback());
    assertTrue(!c.endpoints().peer().isLoopback());
    // The advertised address stays the --peers entry (e.g. a proxy in front of the real port).
    assertEquals("127.0.0.1:9000", c.peers().address(0));
  }

  @Test
  void badEndpointsAreRefusedWithTheValue() {
    assertEquals(
        "bad address ':7000' (want HOST:PORT)",
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(":7000")).getMessage());
    assertEquals(
        "bad port in 'h:0' (want 1..65535)",
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:0")).getMessage());
    // The admin port (peer + 2) must exist too.
    assertEquals(
        "port 65534 + 2 is out of range 1..65535 (127.0.0.1:65534) for peer 0",
        assertThrows(IllegalArgumentException.class, () -> Peers.parse("0=127.0.0.1:65534"))
            .getMessage());
    assertEquals(
        "--id 2 is not in --peers (ids 0..1)",
        assertThrows(
                IllegalArgumentException.class,
                () -> NodeConfig.of(Peers.parse("0=h:1000,1=h:2000"), 2, dir))
            .getMessage());
    Peers p = Peers.parse("0=127.0.0.1:9000");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            NodeConfig.of(p, 0, dir)
                .withListen(Optional.empty(), Optional.of(Endpoint.parse("127.0.0.1:9001"))));
  }

  @Test
  void aNodeWithNeitherTlsNorInsecureIsRefused() throws Exception {
    Peers p = Peers.freeLoopback(1);
    assertEquals(
        "refusing to serve node 0 without authentication: give --tls-dir DIR (db20 certs"
            + " makes one) or --insecure",
        assertThrows(
                IllegalArgumentException.class,
                () -> Db20Server.start(NodeConfig.of(p, 0, dir.resolve("n0"))))
            .getMessage());
  }

  @Test
  void aStartedNodeListensOnItsThreeLoopbackPortsOnly() throws Exception {
    Peers p = Peers.freeLoopback(1);
    int port = p.port(0);
    try (Db20Server s =
        Db20Server.start(
            NodeConfig.of(p, 0, dir.resolve("n0"))
                .withSettings(Db20Server.Settings.SMALL)
                .withInsecure()
                .withStartup(NodeConfig.Startup.BOOTSTRAP))) {
      assertEquals(Peers.peerId(0), s.raftServer().getId());
      for (int offset = 0; offset <= Endpoints.ADMIN_PORT_OFFSET; offset++) {
        assertEquals(
            List.of(new ListeningSockets.Listener("127.0.0.1", port + offset)),
            ListeningSockets.on(port + offset),
            "port " + (port + offset));
      }
    }
  }
}

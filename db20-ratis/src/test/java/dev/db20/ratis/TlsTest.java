package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.wire.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on every endpoint, against a stock Ratis client (Ratis classes only, no db20 client
 * code): without credentials nothing is served; a client certificate reads and writes but cannot
 * administer; a client certificate cannot talk to the peer endpoint (join as a peer).
 */
class TlsTest {
  @TempDir(factory = ShmTempDir.class)
  static Path dir;

  private static Path tls;
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws IOException {
    tls = dir.resolve("tls");
    Certificates.create(tls, 3, List.of());
    cluster = new LocalCluster(3, dir, Db20Server.Settings.SMALL, Optional.of(tls));
    try (RatisCluster c = new RatisCluster(cluster.peers, Optional.of(tls))) {
      assertEquals(1, c.propose(new Op.Put(utf8("k"), utf8("v"))));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Bytes utf8(String s) {
    return Bytes.copyOf(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A stock Ratis client of {@code group}, no retries, with {@code rpc}'s TLS or none. */
  private static RaftClient stock(RaftGroup group, Parameters rpc) {
    RaftProperties p = new RaftProperties();
    ClientId id = ClientId.randomId();
    return RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(group)
        .setClientId(id)
        .setParameters(rpc)
        .setClientRpc(new GrpcFactory(rpc).newRaftClientRpc(id, p))
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  /** The cluster's group with every peer's client and admin address at its peer endpoint. */
  private RaftGroup peerEndpointsOnly() {
    List<RaftPeer> ps = new ArrayList<>();
    for (int i = 0; i < cluster.peers.size(); i++) {
      ps.add(
          RaftPeer.newBuilder()
              .setId(Peers.peerId(i))
              .setAddress(cluster.peers.address(i))
              .build());
    }
    return RaftGroup.valueOf(Peers.GROUP_ID, ps);
  }

  private static Message msg(byte[] b) {
    return Message.valueOf(ByteString.copyFrom(b));
  }

  /**
   * The call is refused by the transport: gRPC UNAVAILABLE (the TLS handshake or the connection
   * failed), not a reply, not a Raft-level refusal such as "not leader" that an authenticated
   * caller could get too.
   */
  private static void refused(String what, Callable<RaftClientReply> call) {
    RaftClientReply r;
    try {
      r = call.call();
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException s
            && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
          return;
        }
      }
      throw new AssertionError(what + ": not refused by the transport: " + e, e);
    }
    throw new AssertionError(what + " was answered: " + r);
  }

  private void adminCallsRefused(RaftClient c, String who) {
    refused(
        who + " groupRemove",
        () -> c.getGroupManagementApi(Peers.peerId(0)).remove(Peers.GROUP_ID, true, false));
    refused(
        who + " setConfiguration",
        () -> c.admin().setConfiguration(List.of(cluster.peers.peer(0))));
    refused(who + " transferLeadership", () -> c.admin().transferLeadership(Peers.peerId(1), 2000));
    refused(who + " snapshot", () -> c.getSnapshotManagementApi(Peers.peerId(0)).create(2000));
    refused(
        who + " pause election", () -> c.getLeaderElectionManagementApi(Peers.peerId(0)).pause());
  }

  private void clientCallsRefused(RaftClient c, String who) {
    refused(
        who + " write",
        () -> c.io().send(msg(dev.db20.core.OpRecord.encode(new Op.Put(utf8("evil"), utf8("x"))))));
    refused(who + " read", () -> c.io().sendReadOnly(msg(Protocol.get(utf8("k")))));
    refused(
        who + " snapshot query",
        () -> c.io().sendStaleRead(msg(new byte[] {Protocol.SNAPSHOT}), 0, Peers.peerId(0)));
  }

  /** Nothing changed: three members, node 0's data still there, k=v, and no "evil" key. */
  private void untouched() throws IOException {
    try (RatisCluster c = new RatisCluster(cluster.peers, Optional.of(tls))) {
      assertEquals(new ReadResult.Value(utf8("v")), c.read(utf8("k")));
      assertEquals(ReadResult.Missing.INSTANCE, c.read(utf8("evil")));
      for (int id = 0; id < 3; id++) {
        assertEquals(1, c.nodeDigest(id).index(), "node " + id);
      }
    }
    for (Db20Server s : cluster.servers) {
      assertEquals(
          3, s.raftServer().getDivision(Peers.GROUP_ID).getRaftConf().getCurrentPeers().size());
    }
    assertTrue(Files.isDirectory(dir.resolve("node-0").resolve(Peers.groupDirectoryName())));
  }

  @Test
  void withoutCredentialsEveryEndpointRefusesEveryCall() throws IOException {
    for (RaftGroup g : List.of(cluster.peers.group(), peerEndpointsOnly())) {
      try (RaftClient c = stock(g, new Parameters())) {
        clientCallsRefused(c, "plaintext");
        adminCallsRefused(c, "plaintext");
      }
    }
    untouched();
  }

  @Test
  void aClientCertificateReadsAndWritesButCannotAdminister() throws IOException {
    try (RaftClient c =
        stock(cluster.peers.group(), TlsFiles.forParty(tls, TlsFiles.Party.CLIENT))) {
      RaftClientReply r = c.io().sendReadOnly(msg(Protocol.get(utf8("k"))));
      assertTrue(r.isSuccess(), r.toString());
      byte[] reply = r.getMessage().getContent().toByteArray();
      assertArrayEquals(new byte[] {Protocol.STATUS_OK, 1, 'v'}, reply);
      adminCallsRefused(c, "client certificate");
    }
    // The client certificate on the peer endpoints (where admin and client calls then go).
    try (RaftClient c = stock(peerEndpointsOnly(), TlsFiles.forParty(tls, TlsFiles.Party.CLIENT))) {
      clientCallsRefused(c, "client certificate at the peer endpoint");
      adminCallsRefused(c, "client certificate at the peer endpoint");
    }
    // The admin certificate cannot use the client endpoint.
    try (RaftClient c =
        stock(cluster.peers.group(), TlsFiles.forParty(tls, TlsFiles.Party.ADMIN))) {
      clientCallsRefused(c, "admin certificate");
    }
    untouched();
  }

  /**
   * What a peer does first: a TLS handshake with the peer endpoint. With a node certificate the
   * server answers (gRPC's HTTP/2 SETTINGS frame); with the client certificate the handshake is
   * refused, so a client certificate cannot join the group.
   */
  @Test
  void aClientCertificateCannotTalkToThePeerEndpoint() throws Exception {
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", cluster.peers.port(1));
    assertTrue(firstBytes(TlsFiles.nodeName(0), peer) > 0);
    assertThrows(IOException.class, () -> firstBytes(TlsFiles.CLIENT, peer));
    untouched();
  }

  private int firstBytes(String base, InetSocketAddress to) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "k",
        Certificates.readKey(tls.resolve(base + TlsFiles.KEY_SUFFIX)),
        new char[0],
        new X509Certificate[] {
          Certificates.readCertificate(tls.resolve(base + TlsFiles.CERT_SUFFIX))
        });
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry(
        "ca",
        Certificates.readCertificate(
            tls.resolve(TlsFiles.caName(TlsFiles.Role.NODE) + TlsFiles.CERT_SUFFIX)));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
      s.connect(to, 5000);
      s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      s.setSSLParameters(p);
      s.startHandshake();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("closed by the server");
      }
      return n;
    }
  }

  @Test
  void certificatesAreCreatedPrivateAndAddedToWithTheSameCas() throws Exception {
    Path d = dir.resolve("more-tls");
    List<Path> first = Certificates.create(d, 2, List.of("db.example", "10.0.0.7"));
    // Three CAs, two nodes, a client and an admin: a key and a certificate each.
    assertEquals(2 * 7, first.size());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
    for (Path f : first) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
          f.toString());
    }
    assertEquals(List.of(), Certificates.create(d, 2, List.of()));
    List<Path> added = Certificates.create(d, 3, List.of());
    assertEquals(List.of(d.resolve("node-2.key"), d.resolve("node-2.pem")), added);
    X509Certificate ca = Certificates.readCertificate(d.resolve("ca-node.pem"));
    X509Certificate n2 = Certificates.readCertificate(d.resolve("node-2.pem"));
    n2.verify(ca.getPublicKey());
    X509Certificate n0 = Certificates.readCertificate(d.resolve("node-0.pem"));
    List<String> names = new ArrayList<>();
    for (List<?> san : n0.getSubjectAlternativeNames()) {
      names.add(String.valueOf(san.get(1)));
    }
    assertEquals(
        List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost", "db.example", "10.0.0.7"), names);
    // The client certificate is not signed by the node CA.
    X509Certificate client = Certificates.readCertificate(d.resolve("client.pem"));
    assertThrows(java.security.SignatureException.class, () -> client.verify(ca.getPublicKey()));
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), client.getExtendedKeyUsage());
  }

  @Test
  void aMissingTlsFileIsOneLine() {
    Path empty = dir.resolve("nothing");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsFiles.forNode(empty, 0));
    assertEquals(
        "--tls-dir "
            + empty
            + ": no file node-0.pem (db20 certs --out "
            + empty
            + " --nodes N makes one)",
        e.getMessage());
  }
}

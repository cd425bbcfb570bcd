package dev.db20.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * A TLS directory ({@code --tls-dir}) as {@link Certificates} writes it, and the Ratis {@link
 * GrpcTlsConfig}s (PEM files, mutual TLS) a node or a client uses from it:
 *
 * <pre>
 * ca-node.pem   ca-client.pem   ca-admin.pem     the CAs (ca-*.key: their keys, for db20 certs only)
 * node-I.pem    node-I.key                       node I, signed by the node CA
 * client.pem    client.key                       a client, signed by the client CA
 * admin.pem     admin.key                        an administrator, signed by the admin CA
 * </pre>
 *
 * <p>Node I needs node-I.*, ca-node.pem, ca-client.pem and ca-admin.pem; a client needs client.*
 * and ca-node.pem; an administrator admin.* and ca-node.pem. Every party verifies that the node it
 * talks to holds a node certificate for the address it dialled.
 */
public final class TlsFiles {
  private TlsFiles() {}

  /** Who a CA vouches for. */
  public enum Role {
    /** Nodes: the peer endpoint's trust, and every party's trust in the node it reaches. */
    NODE,
    /** Clients: the client endpoint's trust. */
    CLIENT,
    /** Administrators: the admin endpoint's trust. */
    ADMIN
  }

  /** Who a non-node party connects as. */
  public enum Party {
    /** Reads, writes and node queries on the client endpoints. */
    CLIENT,
    /** Membership and other admin calls on the admin endpoints. */
    ADMIN
  }

  /** A certificate file's suffix. */
  public static final String CERT_SUFFIX = ".pem";

  /** A private key file's suffix. */
  public static final String KEY_SUFFIX = ".key";

  /** The base name of the client's certificate and key. */
  public static final String CLIENT = "client";

  /** The base name of the administrator's certificate and key. */
  public static final String ADMIN = "admin";

  /** The base name of node {@code id}'s certificate and key. */
  public static String nodeName(int id) {
    return "node-" + id;
  }

  /** The base name of the CA for {@code role}. */
  public static String caName(Role role) {
    return "ca-" + role.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Node {@code id}'s TLS from {@code dir}: its certificate on every endpoint; the peer endpoint
   * (and its own connections to peers) trusts the node CA, the client endpoint the client CA, the
   * admin endpoint the admin CA; each requires the other side's certificate.
   *
   * @throws IllegalArgumentException one line naming the missing or unreadable file
   */
  public static Parameters forNode(Path dir, int id) {
    Path cert = file(dir, nodeName(id) + CERT_SUFFIX);
    Path key = key(dir, nodeName(id));
    Parameters p = new Parameters();
    GrpcConfigKeys.Server.setTlsConf(
        p, mutual(key, cert, file(dir, caName(Role.NODE) + CERT_SUFFIX)));
    GrpcConfigKeys.Client.setTlsConf(
        p, mutual(key, cert, file(dir, caName(Role.CLIENT) + CERT_SUFFIX)));
    GrpcConfigKeys.Admin.setTlsConf(
        p, mutual(key, cert, file(dir, caName(Role.ADMIN) + CERT_SUFFIX)));
    return p;
  }

  /**
   * A client's or an administrator's TLS from {@code dir}: its certificate on both the client and
   * the admin channel (the endpoint that does not trust its CA refuses it), trusting the node CA.
   *
   * @throws IllegalArgumentException one line naming the missing or unreadable file
   */
  public static Parameters forParty(Path dir, Party party) {
    String base = party == Party.CLIENT ? CLIENT : ADMIN;
    GrpcTlsConfig tls =
        mutual(
            key(dir, base),
            file(dir, base + CERT_SUFFIX),
            file(dir, caName(Role.NODE) + CERT_SUFFIX));
    Parameters p = new Parameters();
    GrpcConfigKeys.Client.setTlsConf(p, tls);
    GrpcConfigKeys.Admin.setTlsConf(p, tls);
    return p;
  }

  private static GrpcTlsConfig mutual(Path key, Path cert, Path trust) {
    return new GrpcTlsConfig(key.toFile(), cert.toFile(), trust.toFile(), true);
  }

  private static Path key(Path dir, String base) {
    Path k = file(dir, base + KEY_SUFFIX);
    try {
      Certificates.readKey(k);
    } catch (IOException e) {
      throw new IllegalArgumentException("--tls-dir " + dir + ": " + e.getMessage());
    }
    return k;
  }

  /** {@code dir/name}, a readable regular file holding what its suffix says. */
  private static Path file(Path dir, String name) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(
          "--tls-dir "
              + dir
              + ": no file "
              + name
              + " (db20 certs --out "
              + dir
              + " --nodes N makes one)");
    }
    if (!Files.isReadable(f)) {
      throw new IllegalArgumentException("--tls-dir " + dir + ": cannot read " + name);
    }
    if (name.endsWith(CERT_SUFFIX)) {
      try {
        Certificates.readCertificate(f);
      } catch (IOException e) {
        throw new IllegalArgumentException("--tls-dir " + dir + ": " + e.getMessage());
      }
    }
    return f;
  }
}

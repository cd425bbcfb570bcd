package dev.db20.ratis;

import dev.db20.wire.DurableFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the certificates of a db20 cluster into one directory ({@link TlsFiles} names the files):
 * three private CAs, one per role, so a role is told by who signed it. The node CA signs each
 * node's certificate (the node presents it on all three endpoints and to its peers); the client CA
 * signs the client certificate; the admin CA the admin certificate. A node's peer endpoint trusts
 * only the node CA, its client endpoint only the client CA, its admin endpoint only the admin CA: a
 * client certificate can neither join as a peer nor administer.
 *
 * <p>Keys are EC P-256 (PKCS#8 PEM, mode 0600), signatures SHA256withECDSA, all the JDK's; the
 * directory is 0700. Running it again on the same directory keeps what exists and adds what is
 * missing (e.g. the certificate of a node being added), signed by the same CAs.
 */
public final class Certificates {
  private Certificates() {}

  /** How long every certificate is valid. */
  public static final Duration VALIDITY = Duration.ofDays(3650);

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Names always in a node's certificate, so loopback clusters verify without options. */
  public static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "::1", "localhost");

  private record Issued(PrivateKey key, X509Certificate cert) {}

  /**
   * Creates in {@code out} what is missing of: the three CAs, the certificates of nodes 0 to {@code
   * nodes - 1} (valid for {@code hosts} and {@link #LOOPBACK_NAMES}), a client and an admin
   * certificate.
   *
   * @return the files written, in order
   * @throws IllegalArgumentException if {@code out} exists and is not a directory, a host is empty,
   *     or {@code nodes} is below 1
   * @throws IOException if a file cannot be written or an existing one cannot be read
   */
  public static List<Path> create(Path out, int nodes, List<String> hosts) throws IOException {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes " + nodes + " (want at least 1)");
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(out + " exists and is not a directory");
    }
    Set<String> names = new LinkedHashSet<>(LOOPBACK_NAMES);
    for (String h : hosts) {
      if (h.isBlank() || h.chars().anyMatch(c -> c <= ' ' || c == ',')) {
        throw new IllegalArgumentException("bad host '" + h + "' (want a name or an address)");
      }
      names.add(h);
    }
    if (!Files.isDirectory(out)) {
      Files.createDirectories(
          out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    List<Path> written = new ArrayList<>();
    try {
      Issued nodeCa = ca(out, TlsFiles.Role.NODE, written);
      Issued clientCa = ca(out, TlsFiles.Role.CLIENT, written);
      Issued adminCa = ca(out, TlsFiles.Role.ADMIN, written);
      for (int i = 0; i < nodes; i++) {
        leaf(out, TlsFiles.nodeName(i), "db20 node " + i, nodeCa, names, true, written);
      }
      leaf(out, TlsFiles.CLIENT, "db20 client", clientCa, Set.of(), false, written);
      leaf(out, TlsFiles.ADMIN, "db20 admin", adminCa, Set.of(), false, written);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue a certificate: " + e.getMessage(), e);
    }
    return written;
  }

  private static Issued ca(Path out, TlsFiles.Role role, List<Path> written)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    String base = TlsFiles.caName(role);
    Path cert = out.resolve(base + TlsFiles.CERT_SUFFIX);
    Path key = out.resolve(base + TlsFiles.KEY_SUFFIX);
    if (Files.exists(cert) && Files.exists(key)) {
      return new Issued(readKey(key), readCertificate(cert));
    }
    KeyPair kp = keyPair();
    X500Name name = new X500Name("CN=db20 " + role.name().toLowerCase(Locale.ROOT) + " CA");
    X509v3CertificateBuilder b = builder(name, name, kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate c = sign(b, kp.getPrivate());
    write(out, base, kp.getPrivate(), c, written);
    return new Issued(kp.getPrivate(), c);
  }

  private static void leaf(
      Path out,
      String base,
      String cn,
      Issued ca,
      Set<String> names,
      boolean server,
      List<Path> written)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    if (Files.exists(out.resolve(base + TlsFiles.CERT_SUFFIX))
        && Files.exists(out.resolve(base + TlsFiles.KEY_SUFFIX))) {
      return;
    }
    KeyPair kp = keyPair();
    X509v3CertificateBuilder b =
        builder(
            X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
            new X500Name("CN=" + cn),
            kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            server
                ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
    if (!names.isEmpty()) {
      List<GeneralName> san = new ArrayList<>();
      for (String n : names) {
        String h = n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
        boolean ip = IPV4.matcher(h).matches() || h.contains(":");
        // A literal address: getByName parses it and does no lookup.
        san.add(
            ip
                ? new GeneralName(
                    GeneralName.iPAddress,
                    new org.bouncycastle.asn1.DEROctetString(InetAddress.getByName(h).getAddress()))
                : new GeneralName(GeneralName.dNSName, h));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(san.toArray(new GeneralName[0])));
    }
    write(out, base, kp.getPrivate(), sign(b, ca.key()), written);
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(VALIDITY)),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
  }

  private static void write(
      Path out, String base, PrivateKey key, X509Certificate cert, List<Path> written)
      throws IOException, GeneralSecurityException {
    Path k = out.resolve(base + TlsFiles.KEY_SUFFIX);
    Path c = out.resolve(base + TlsFiles.CERT_SUFFIX);
    DurableFile.writeAtomically(
        k,
        pem("PRIVATE KEY", key.getEncoded()),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    DurableFile.writeAtomically(
        c,
        pem("CERTIFICATE", cert.getEncoded()),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    written.add(k);
    written.add(c);
  }

  private static byte[] pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads a PEM certificate; one line naming the file if it is not one. */
  static X509Certificate readCertificate(Path file) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + ": not a PEM X.509 certificate");
    }
  }

  /** Reads a PKCS#8 PEM EC private key; one line naming the file if it is not one. */
  static PrivateKey readKey(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException(file + ": not a PEM PKCS#8 private key");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException x) {
      throw new IOException(file + ": not a PEM PKCS#8 EC private key");
    }
  }
}

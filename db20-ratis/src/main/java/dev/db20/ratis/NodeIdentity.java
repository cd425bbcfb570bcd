package dev.db20.ratis;

import dev.db20.wire.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Who a data directory belongs to, pinned when the node is formed: the file {@code DATA/db20-node},
 * four lines of ASCII,
 *
 * <pre>
 * db20-node 1
 * cluster GROUP-UUID
 * id N
 * peers 0=HOST:PORT,1=...
 * </pre>
 *
 * <p>written atomically and durably ({@link DurableFile#writeAtomically}, mode 0600). {@code peers}
 * is the membership as the node last knew it committed: what it was formed with, then every
 * configuration Ratis commits ({@code db20 admin add-node / remove-node}).
 *
 * @param cluster the Raft group id
 * @param id the node's db20 id
 * @param peers the membership, {@code ID=HOST:PORT} by id
 */
public record NodeIdentity(String cluster, int id, String peers) {
  /** The file's name in the data directory. */
  public static final String FILE = "db20-node";

  /** The first line: the format and its version. */
  static final String MAGIC = "db20-node 1";

  /** The file in {@code dir}. */
  public static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  /**
   * Reads {@code dir}'s identity.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the file and the line, if it is not an identity
   */
  public static NodeIdentity read(Path dir) throws IOException {
    Path f = file(dir);
    List<String> lines = List.of(Files.readString(f, StandardCharsets.US_ASCII).split("\n", -1));
    if (lines.size() != 5
        || !lines.get(0).equals(MAGIC)
        || !lines.get(4).isEmpty()
        || !lines.get(1).startsWith("cluster ")
        || !lines.get(2).startsWith("id ")
        || !lines.get(3).startsWith("peers ")) {
      throw new IllegalArgumentException(
          f
              + " is not a db20 node identity (want the lines '"
              + MAGIC
              + "', 'cluster ...', 'id N', 'peers ...')");
    }
    int id;
    try {
      id = Integer.parseInt(lines.get(2).substring(3));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(f + ": bad id line");
    }
    return new NodeIdentity(lines.get(1).substring(8), id, lines.get(3).substring(6));
  }

  /**
   * The membership after a committed configuration {@code committed}: its ids, each at the address
   * {@code recorded} has for it (the address this node was started with, which may be its own view,
   * e.g. through a proxy), a new id at the address the configuration gives.
   */
  static String merge(String recorded, String committed) {
    java.util.Map<String, String> have = new java.util.HashMap<>();
    for (String e : recorded.split(",")) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        have.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String e : committed.split(",")) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        String id = e.substring(0, eq);
        sb.append(sb.isEmpty() ? "" : ",")
            .append(id)
            .append('=')
            .append(have.getOrDefault(id, e.substring(eq + 1)));
      }
    }
    return sb.toString();
  }

  /** This identity with the membership {@code peers}. */
  public NodeIdentity withPeers(String peers) {
    return new NodeIdentity(cluster, id, peers);
  }

  /** Writes this identity into {@code dir}, replacing what was there atomically. */
  public void write(Path dir) throws IOException {
    String text = MAGIC + "\ncluster " + cluster + "\nid " + id + "\npeers " + peers + "\n";
    DurableFile.writeAtomically(
        file(dir),
        text.getBytes(StandardCharsets.US_ASCII),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }
}

package dev.db20.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The snapshot corpus of issue 10 ({@code db20-conformance/snapshots/}): for each file {@code
 * NAME.db20}, {@code NAME.expected} holds the exact line {@code check FILE} prints
 * (docs/spec-notes.md N16). One file per refusal rule of SPEC §4 (and a few more refusals that
 * catch known reader bugs: a signed byte compare, a prefix sorted last, an empty file), several
 * good snapshots including the empty one and a prefix-order one.
 *
 * <p>The bytes are built here field by field, not with {@code SnapshotWriter}, and each expected
 * offset is the offset this code put the broken field at, so the corpus checks the readers
 * rather than repeating them. Every refused file except the CRC case carries a correct CRC, so
 * a reader that checked the CRC first would still have to name the intended rule.
 *
 * <pre>
 * SnapshotCorpus --out DIR    the small corpus (committed; scripts/make-snapshot-corpus.sh)
 * SnapshotCorpus --big DIR    the multi-megabyte good snapshots, generated deterministically
 * </pre>
 *
 * <p>The multi-megabyte files are generated at test time rather than committed: they are a pure
 * function of this code, and a few megabytes of binary in git would change nothing they test.
 */
public final class SnapshotCorpus {
  private SnapshotCorpus() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("--out") || args[0].equals("--big"))) {
      System.err.println("usage: SnapshotCorpus --out DIR | --big DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[1]);
    write(dir, args[0].equals("--out") ? small() : big());
  }

  /** Writes {@code NAME.db20} and {@code NAME.expected} for every case. */
  public static void write(Path dir, Map<String, Case> cases) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, Case> e : cases.entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".db20"), e.getValue().bytes());
      Files.writeString(dir.resolve(e.getKey() + ".expected"), e.getValue().expected() + "\n", StandardCharsets.US_ASCII);
    }
  }

  /**
   * One corpus file and the line {@code check} prints for it.
   *
   * @param bytes the file
   * @param expected the line, without its {@code \n}
   */
  public record Case(byte[] bytes, String expected) {}

  /** The small cases, in a stable order. */
  public static Map<String, Case> small() {
    Map<String, Case> m = new LinkedHashMap<>();
    // Good snapshots.
    m.put("good-empty", good(new Snap(0)));
    m.put("good-one", good(new Snap(1).entry("a", "v")));
    // A proper prefix sorts first; bytes compare unsigned (0x7f < 0x80 < 0xff).
    m.put("good-prefix-order", good(new Snap(-1L).entry("a", "1").entry("ab", "2").entry("abc", "").entry("b", "3")
        .entry(new byte[] {0x7f}, "4").entry(new byte[] {(byte) 0x80}, "5").entry(new byte[] {(byte) 0xff}, "6")
        .entry(new byte[] {(byte) 0xff, 0}, "7")));
    m.put("good-empty-values", good(new Snap(7).entry("k0", "").entry("k1", "").entry("k2", "x")));
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    m.put("good-binary", good(new Snap(0x0102030405060708L).entry(new byte[] {0}, allBytes).entry(allBytes, new byte[] {0})));

    // One refusal per rule of SPEC §4, in the order of N16's list.
    m.put("refused-bad-magic", refused(0, "bad magic", new Snap(0).magic("DB21").build()));
    m.put("refused-bad-magic-lowercase", refused(0, "bad magic", new Snap(0).magic("db20").build()));
    m.put("refused-unknown-version", refused(4, "unknown version", new Snap(0).version(2).build()));
    m.put("refused-unknown-version-0", refused(4, "unknown version", new Snap(0).version(0).build()));
    m.put("refused-nonzero-flags", refused(6, "nonzero flags", new Snap(0).flags(0x8000).build()));
    m.put("refused-truncated-empty-file", refused(0, "truncated", new byte[0]));
    m.put("refused-truncated-magic", refused(0, "truncated", "DB2".getBytes(StandardCharsets.US_ASCII)));
    m.put("refused-truncated-header", refused(8, "truncated", prefix(new Snap(0).build(), 10)));
    // The entries fill the file; the CRC field is missing: truncated where the CRC would start.
    byte[] noCrc = new Snap(3).entry("a", "vvvv").build();
    m.put("refused-truncated-crc", refused(33, "truncated", prefix(noCrc, noCrc.length - 4)));
    m.put("refused-length-past-end-count", refused(16, "length past end", new Snap(0).count(1000).build()));
    m.put("refused-length-past-end-count-max", refused(16, "length past end", new Snap(0).count(0xffff_ffffL).build()));
    m.put("refused-length-past-end-key", refused(20, "length past end",
        new Snap(1).raw(u32(40)).raw("abcd".getBytes(StandardCharsets.US_ASCII)).raw(u32(0)).count(1).build()));
    m.put("refused-length-past-end-value", refused(25, "length past end",
        new Snap(1).raw(u32(1)).raw(new byte[] {'a'}).raw(u32(1000)).raw(new byte[8]).count(1).build()));
    m.put("refused-empty-key", refused(20, "empty key", new Snap(1).raw(u32(0)).raw(u32(1)).raw(new byte[] {'v'}).count(1).build()));
    m.put("refused-key-too-long", refused(20, "key too long",
        new Snap(1).raw(u32(65_536)).raw(new byte[65_536]).raw(u32(0)).count(1).build()));
    m.put("refused-value-too-long", refused(25, "value too long",
        new Snap(1).raw(u32(1)).raw(new byte[] {'a'}).raw(u32(1_048_577)).raw(new byte[16]).count(1).build()));
    // Entry 1 starts at 20 + (4 + 1 + 4 + 1) = 30 in each of these.
    m.put("refused-keys-out-of-order", refused(30, "keys out of order", new Snap(2).entry("b", "1").entry("a", "2").build()));
    // "ab" is two bytes: entry 1 starts at 31.
    m.put("refused-keys-out-of-order-prefix-last", refused(31, "keys out of order",
        new Snap(2).entry("ab", "1").entry("a", "2").build()));
    m.put("refused-keys-out-of-order-signed", refused(30, "keys out of order",
        new Snap(2).entry(new byte[] {(byte) 0x80}, "1").entry(new byte[] {0x7f}, "2").build()));
    m.put("refused-duplicate-key", refused(30, "duplicate key", new Snap(2).entry("a", "1").entry("a", "2").build()));
    byte[] one = new Snap(1).entry("a", "v").build();
    m.put("refused-trailing-bytes", refused(one.length, "trailing bytes", concat(one, new byte[] {0})));
    // Trailing bytes that are a whole second snapshot.
    m.put("refused-trailing-bytes-snapshot", refused(one.length, "trailing bytes", concat(one, new Snap(0).build())));
    byte[] badCrc = one.clone();
    badCrc[badCrc.length - 1] ^= 0x01;
    m.put("refused-crc-mismatch", refused(badCrc.length - 4, "crc mismatch", badCrc));
    byte[] badPayload = one.clone();
    badPayload[HEADER + 4] = 'b'; // the key: structure fine, CRC no longer matches
    m.put("refused-crc-mismatch-payload", refused(badPayload.length - 4, "crc mismatch", badPayload));
    return m;
  }

  /** The multi-megabyte good snapshots. Deterministic; about 10 MB in all. */
  public static Map<String, Case> big() {
    Map<String, Case> m = new LinkedHashMap<>();
    // 200,000 small entries, keys k000000..k199999 (already sorted): about 4 MB.
    Snap many = new Snap(1_000_000);
    for (int i = 0; i < 200_000; i++) {
      many.entry(String.format("k%06d", i), Integer.toString(i * 7919 % 100_000));
    }
    m.put("big-many-entries", good(many));
    // Four values at the 1 MiB limit and the longest key: limits taken together, about 4.3 MB.
    Snap limits = new Snap(4);
    byte[] longKey = new byte[65_535];
    java.util.Arrays.fill(longKey, (byte) 'k');
    byte[] maxValue = new byte[1_048_576];
    for (int i = 0; i < maxValue.length; i++) {
      maxValue[i] = (byte) (i * 31 + (i >>> 8));
    }
    limits.entry(new byte[] {1}, maxValue).entry(new byte[] {2}, maxValue).entry(new byte[] {3}, maxValue)
        .entry(longKey, maxValue);
    m.put("big-limits", good(limits));
    return m;
  }

  private static final int HEADER = 20;

  private static Case good(Snap s) {
    byte[] b = s.build();
    long crc = (b[b.length - 4] & 0xffL) | (b[b.length - 3] & 0xffL) << 8 | (b[b.length - 2] & 0xffL) << 16
        | (b[b.length - 1] & 0xffL) << 24;
    return new Case(b, "ok commit=" + Long.toUnsignedString(s.commit) + " entries=" + s.entries
        + " crc=" + String.format("%08x", crc));
  }

  private static Case refused(long offset, String rule, byte[] bytes) {
    return new Case(bytes, "refused offset " + offset + ": " + rule);
  }

  private static byte[] prefix(byte[] b, int n) {
    return java.util.Arrays.copyOf(b, n);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  /** A snapshot built field by field, with any field overridable; the CRC is computed last. */
  private static final class Snap {
    final long commit;
    String magic = "DB20";
    int version = 1;
    int flags;
    long count = -1;
    int entries;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Snap(long commit) {
      this.commit = commit;
    }

    Snap magic(String m) {
      magic = m;
      return this;
    }

    Snap version(int v) {
      version = v;
      return this;
    }

    Snap flags(int f) {
      flags = f;
      return this;
    }

    Snap count(long c) {
      count = c;
      return this;
    }

    Snap raw(byte[] b) {
      body.writeBytes(b);
      return this;
    }

    Snap entry(String k, String v) {
      return entry(k.getBytes(StandardCharsets.ISO_8859_1), v.getBytes(StandardCharsets.ISO_8859_1));
    }

    Snap entry(byte[] k, String v) {
      return entry(k, v.getBytes(StandardCharsets.ISO_8859_1));
    }

    Snap entry(byte[] k, byte[] v) {
      body.writeBytes(u32(k.length));
      body.writeBytes(k);
      body.writeBytes(u32(v.length));
      body.writeBytes(v);
      entries++;
      return this;
    }

    byte[] build() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
      out.write(version);
      out.write(version >>> 8);
      out.write(flags);
      out.write(flags >>> 8);
      for (int i = 0; i < 8; i++) {
        out.write((int) (commit >>> (8 * i)));
      }
      out.writeBytes(u32(count >= 0 ? count : entries));
      out.writeBytes(body.toByteArray());
      CRC32C crc = new CRC32C();
      byte[] before = out.toByteArray();
      crc.update(before);
      out.writeBytes(u32(crc.getValue()));
      return out.toByteArray();
    }
  }
}

package dev.db20.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC §7 and spec-notes N1–N11, one rule a test. */
class ScriptRunnerTest {

  static String run(String script) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ScriptRunner(out)
        .run(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)));
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Runs a script that must fail; checks the line and message, and the output kept before it. */
  static void fails(String script, long line, String message, String outputBefore)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ScriptException e =
        assertThrows(
            ScriptException.class,
            () ->
                new ScriptRunner(out)
                    .run(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1))));
    assertEquals("error line " + line + ": " + message, e.getMessage());
    assertEquals(line, e.line());
    assertEquals(outputBefore, out.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void unknownCommandStopsTheRun() throws Exception {
    fails(
        "cluster 1\nnoop\nfrobnicate 3\nnoop\n",
        3,
        "unknown command 'frobnicate'",
        "committed 1\n");
  }

  @Test
  void commandsAreCaseSensitive() throws Exception {
    fails("cluster 1\nPUT a b\n", 2, "unknown command 'PUT'", "");
  }

  @Test
  void wrongArityStopsTheRun() throws Exception {
    fails("cluster 3\nput a\n", 2, "'put' expects 2 arguments, got 1", "");
    fails("cluster 3\nget\n", 2, "'get' expects 1 argument, got 0", "");
    fails("cluster 3\nheal now\n", 2, "'heal' expects 0 arguments, got 1", "");
    fails("cluster 3 4\n", 1, "'cluster' expects 1 argument, got 2", "");
  }

  @Test
  void badNumberStopsTheRun() throws Exception {
    String want = " (want decimal or 0x hex, at most 2^64-1)";
    fails("cluster five\n", 1, "invalid number 'five'" + want, "");
    fails("seed -1\n", 1, "invalid number '-1'" + want, "");
    fails("seed 0X10\n", 1, "invalid number '0X10'" + want, "");
    fails("seed 0x\n", 1, "invalid number '0x'" + want, "");
    fails("seed 18446744073709551616\n", 1, "invalid number '18446744073709551616'" + want, "");
    fails("seed 0x10000000000000000\n", 1, "invalid number '0x10000000000000000'" + want, "");
  }

  @Test
  void numbersAreDecimalOrHexUpToU64Max() throws Exception {
    assertEquals(-1L, Numbers.parseU64("18446744073709551615".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(-1L, Numbers.parseU64("0xFFFFffffFFFFffff".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(7L, Numbers.parseU64("007".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0xdb20L, Numbers.parseU64("0xdb20".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void idOutOfRangeStopsTheRun() throws Exception {
    fails("cluster 3\nreplica 3\n", 2, "replica id 3 out of range 0..2", "");
    fails("cluster 3\npartition 0 7\n", 2, "replica id 7 out of range 0..2", "");
    fails(
        "cluster 3\nsnapshot 18446744073709551615\n",
        2,
        "replica id 18446744073709551615 out of range 0..2",
        "");
  }

  @Test
  void opOverTheLimitsStopsTheRun() throws Exception {
    String longKey = "k".repeat(65_536);
    fails(
        "cluster 1\nput " + longKey + " v\n", 2, "key length exceeds the limit of 65535 bytes", "");
    fails("cluster 1\ndel " + longKey + "\n", 2, "key length exceeds the limit of 65535 bytes", "");
    fails(
        "cluster 1\nput k " + "v".repeat(1_048_577) + "\n",
        2,
        "value length exceeds the limit of 1048576 bytes",
        "");
    assertEquals(
        "committed 1\n",
        run("cluster 1\nput " + "k".repeat(65_535) + " " + "v".repeat(1_048_576) + "\n"));
  }

  @Test
  void getOfAnOverlongKeyIsMissing() throws Exception {
    assertEquals("missing\n", run("cluster 1\nget " + "k".repeat(70_000) + "\n"));
    // Only the first 65,536 bytes are kept: a stored key equal to a prefix is still not it.
    String k = "k".repeat(65_535);
    assertEquals(
        "committed 1\nmissing\nmissing\n",
        run("cluster 1\nput " + k + " v\nget " + k + "kk\nget " + k + "k\n"));
    // The key is skipped, the arity still counted; the leader check still runs.
    fails(
        "cluster 1\nget " + "k".repeat(70_000) + " x\n", 2, "'get' expects 1 argument, got 2", "");
    assertEquals("rejected\n", run("cluster 3\npartition 1 2\nget " + "k".repeat(70_000) + "\n"));
  }

  @Test
  void aKeyOrValuePastItsBoundIsRefusedBeforeTheRestOfTheLine() throws Exception {
    // N17: refused as the bound passes, so before the arity and the cluster checks.
    String longKey = "k".repeat(65_536);
    fails("put " + longKey + "\n", 1, "key length exceeds the limit of 65535 bytes", "");
    fails(
        "cluster 1\ndel " + longKey + " x y\n",
        2,
        "key length exceeds the limit of 65535 bytes",
        "");
    fails(
        "cluster 1\nput k " + "v".repeat(1_048_577) + " x\n",
        2,
        "value length exceeds the limit of 1048576 bytes",
        "");
    // A '\r' before the end of the line is dropped first; anywhere else it is a token byte.
    assertEquals("committed 1\n", run("cluster 1\nput k " + "v".repeat(1_048_576) + "\r\n"));
    fails(
        "cluster 1\nput k " + "v".repeat(1_048_576) + "\rx\n",
        2,
        "value length exceeds the limit of 1048576 bytes",
        "");
    // The key is checked before the value, and an over-long key with a bad value is a key error.
    fails(
        "cluster 1\nput " + longKey + " " + "v".repeat(1_048_577) + "\n",
        2,
        "key length exceeds the limit of 65535 bytes",
        "");
  }

  @Test
  void aNumberOrCommandWordOver64BytesIsInvalidAndQuotedWithItsLength() throws Exception {
    String zeros = "0".repeat(64);
    assertEquals("", run("cluster " + zeros.substring(1) + "1\n"));
    fails(
        "cluster " + zeros + "1\n",
        1,
        "invalid number '" + zeros + "...(65 bytes)' (want decimal or 0x hex, at most 2^64-1)",
        "");
    fails(
        "cluster 1\n" + "x".repeat(100_000) + " a\n",
        2,
        "unknown command '" + "x".repeat(64) + "...(100000 bytes)'",
        "");
  }

  @Test
  void partitionFoldsItsIdsAsTheyAreRead() throws Exception {
    StringBuilder many = new StringBuilder("cluster 3\npartition");
    for (int i = 0; i < 10_000; i++) {
      many.append(' ').append(i % 2 + 1);
    }
    assertEquals(
        "rejected\nreplica 0 commit=0 keys=0 partitioned=false\n"
            + "replica 1 commit=0 keys=0 partitioned=true\n",
        run(many + "\nput a b\nreplica 0\nreplica 1\n"));
    // The first bad number from the left, then (with a cluster) the first id out of range.
    fails(
        "cluster 3\npartition 1 7 x 9\n",
        2,
        "invalid number 'x' (want decimal or 0x hex, at most 2^64-1)",
        "");
    fails("cluster 3\npartition 1 7 2 9\n", 2, "replica id 7 out of range 0..2", "");
    fails("partition 1 7 2 9\n", 1, "'partition' before the first 'cluster'", "");
  }

  /** A stream that hands out one byte per read: every token and line end crosses a buffer end. */
  static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void lineEndsAndCarriageReturnsReadTheSameAcrossReadBoundaries() throws Exception {
    String script = "cluster 1\r\nput a\rb v\r\r\n \r\n# x\r\nget a\rb\t\r\nget a\rb\r";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ScriptRunner(out).run(trickle(script.getBytes(StandardCharsets.ISO_8859_1)));
    // The value is "v\r": only the '\r' right before the '\n' is dropped.
    assertEquals(
        "committed 1\nvalue 760d\nvalue 760d\n", out.toString(StandardCharsets.ISO_8859_1));
    assertEquals("committed 1\nvalue 760d\nvalue 760d\n", run(script));
    ScriptException e =
        assertThrows(
            ScriptException.class,
            () ->
                new ScriptRunner(OutputStream.nullOutputStream())
                    .run(trickle("cluster 1\n\r\r\n".getBytes(StandardCharsets.ISO_8859_1))));
    assertEquals("error line 2: unknown command '\\x0d'", e.getMessage());
  }

  @Test
  void aCommentLineOfAnyLengthIsSkipped() throws Exception {
    assertEquals("committed 1\n", run("cluster 1\n#" + "c \r".repeat(300_000) + "\nput a b\n"));
    fails("cluster 1\n  #" + "c".repeat(300_000) + "\n\nbad\n", 4, "unknown command 'bad'", "");
  }

  @Test
  void commandBeforeClusterStopsTheRun() throws Exception {
    fails("seed 1\nkeys 4\nput a b\n", 3, "'put' before the first 'cluster'", "");
    fails("digest\n", 1, "'digest' before the first 'cluster'", "");
    fails("partition\n", 1, "'partition' before the first 'cluster'", "");
  }

  @Test
  void keysZeroStopsTheRun() throws Exception {
    fails("keys 0\n", 1, "key space 0 out of range (must be >= 1)", "");
  }

  @Test
  void clusterSizeZeroOr256StopsTheRun() throws Exception {
    fails("cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
    fails("cluster 256\n", 1, "cluster size 256 out of range 1..255", "");
    assertEquals("leader 0 view=0\n", run("cluster 255\nleader\n"));
  }

  @Test
  void blankAndCommentLinesAreIgnoredButCounted() throws Exception {
    fails("# c\n\n \t \ncluster 1\n  # indented comment\nbad\n", 6, "unknown command 'bad'", "");
  }

  @Test
  void crBeforeLfIsDroppedAndLastLineNeedsNoLf() throws Exception {
    assertEquals("committed 1\nvalue 76\n", run("cluster 1\r\nput a v\r\nget a"));
  }

  @Test
  void hashInsideALineIsAToken() throws Exception {
    assertEquals("committed 1\nvalue 2362\n", run("cluster 1\nput a #b\nget a\n"));
  }

  @Test
  void tokenBytesAreUsedAsTheyStand() throws Exception {
    assertEquals("committed 1\nvalue ff0c\n", run("cluster 1\nput \u00e9 \u00ff\f\nget \u00e9\n"));
  }

  @Test
  void secondClusterKeepsTheGenerator() throws Exception {
    String out = run("cluster 1\nseed 5\nops 3\ncluster 1\nops 3\ndigest\n");
    // The same by hand: draw three ops and drop them, then apply the next three to a new cluster.
    var w = new dev.db20.workload.Workload(5, 16);
    for (int i = 0; i < 3; i++) {
      w.nextOp();
    }
    var c = new dev.db20.core.Cluster(1);
    for (int i = 0; i < 3; i++) {
      c.propose(w.nextOp());
    }
    assertEquals("digest " + dev.db20.wire.Fnv1a64.toHex(c.digest()), out.lines().toList().get(2));
  }

  @Test
  void outputIsStreamedNotHeldToTheEnd() throws Exception {
    // A script of a million ops in one 'ops' line, then a thousand 'noop's: the first output
    // line must reach the stream before the input has been read to its end.
    StringBuilder s = new StringBuilder("cluster 1\nops 1000\n");
    for (int i = 0; i < 200_000; i++) {
      s.append("noop\n");
    }
    byte[] script = s.toString().getBytes(StandardCharsets.US_ASCII);
    int[] readWhenFirstWritten = {-1};
    int[] read = {0};
    InputStream in =
        new ByteArrayInputStream(script) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read[0] += Math.max(n, 0);
            return n;
          }
        };
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            if (readWhenFirstWritten[0] < 0) {
              readWhenFirstWritten[0] = read[0];
            }
          }
        };
    new ScriptRunner(out).run(in);
    assertEquals(
        true,
        readWhenFirstWritten[0] >= 0 && readWhenFirstWritten[0] < script.length,
        "first output after reading "
            + readWhenFirstWritten[0]
            + " of "
            + script.length
            + " bytes");
  }
}

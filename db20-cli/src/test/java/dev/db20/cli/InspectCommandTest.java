package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.db20.wire.Bytes;
import dev.db20.wire.LittleEndian;
import dev.db20.wire.SnapshotSink;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code db20 inspect}: the table, the JSON document, refusals and unreadable files. */
class InspectCommandTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  /** Runs {@code db20 args} in this JVM, capturing stdout and stderr. */
  static Run db20(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Db20());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  Path snapshot(long commit, String... keyValues) throws IOException {
    List<SnapshotState.Entry> entries = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      entries.add(
          new SnapshotState.Entry(Bytes.ofAscii(keyValues[i]), Bytes.ofAscii(keyValues[i + 1])));
    }
    Path f = Files.createTempFile(tmp, "snap", ".db20");
    Files.write(f, SnapshotWriter.encode(new SnapshotState(commit, entries)));
    return f;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) TinyJson.parse(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @Test
  void jsonIsOneDocumentWithNumbersAsNumbers() throws Exception {
    Path f = snapshot(2, "a", "v", "b", "w");
    Run r = db20("inspect", "--json", f.toString());
    assertEquals(0, r.exit(), r.err());
    Map<String, Object> doc = json(r.out());
    assertEquals(44L, doc.get("size"));
    assertEquals(1L, doc.get("version"));
    assertEquals(0L, doc.get("flags"));
    assertEquals(2L, doc.get("commit_index"));
    assertEquals(2L, doc.get("entry_count"));
    assertEquals(2L, doc.get("entries_shown"));
    assertEquals(
        Map.of("name", "commit_index", "offset", 8L, "size", 8L), list(doc.get("layout")).get(3));
    assertEquals(
        Map.of("name", "crc32c", "offset", 40L, "size", 4L), list(doc.get("layout")).get(6));
    Map<String, Object> e1 = map(list(doc.get("entries")).get(1));
    assertEquals(Map.of("index", 1L, "offset", 30L, "key", "62", "value", "77"), e1);
  }

  @Test
  void jsonCrcIsAnObjectWithStoredComputedAndOk() throws Exception {
    Path f = snapshot(1, "a", "v");
    Map<String, Object> doc = json(db20("inspect", "--json", f.toString()).out());
    assertEquals(Map.of("stored", "bd62cffd", "computed", "bd62cffd", "ok", true), doc.get("crc"));
  }

  @Test
  void jsonEmptyValueIsEmptyString() throws Exception {
    Path f = snapshot(1, "a", "");
    Map<String, Object> doc = json(db20("inspect", "--json", f.toString()).out());
    assertEquals("", map(list(doc.get("entries")).get(0)).get("value"));
  }

  @Test
  void jsonCommitIndexAbove2To53IsADecimalString() throws Exception {
    assertEquals(
        9_007_199_254_740_991L,
        json(db20("inspect", "--json", snapshot((1L << 53) - 1).toString()).out())
            .get("commit_index"));
    assertEquals(
        "9007199254740992",
        json(db20("inspect", "--json", snapshot(1L << 53).toString()).out()).get("commit_index"));
    assertEquals(
        "18446744073709551615",
        json(db20("inspect", "--json", snapshot(-1).toString()).out()).get("commit_index"));
  }

  @Test
  void jsonShowsTheFirstTenEntriesUnlessAll() throws Exception {
    List<String> kv = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      kv.add("key" + (100 + i));
      kv.add("v");
    }
    Path f = snapshot(1, kv.toArray(new String[0]));
    Map<String, Object> some = json(db20("inspect", "--json", f.toString()).out());
    assertEquals(25L, some.get("entry_count"));
    assertEquals(10L, some.get("entries_shown"));
    assertEquals(10, list(some.get("entries")).size());
    Map<String, Object> all = json(db20("inspect", "--json", "--all", f.toString()).out());
    assertEquals(25L, all.get("entries_shown"));
    assertEquals(25, list(all.get("entries")).size());
    assertEquals(24L, map(list(all.get("entries")).get(24)).get("index"));
  }

  @Test
  void jsonOfARefusedFileIsAnErrorObjectOnStdoutAndExitsOne() throws Exception {
    Path f = snapshot(1, "a", "v");
    byte[] b = Files.readAllBytes(f);
    b[29] ^= 1;
    Files.write(f, b);
    Run r = db20("inspect", "--json", f.toString());
    assertEquals(1, r.exit());
    Map<String, Object> error = map(json(r.out()).get("error"));
    assertEquals(30L, error.get("offset"));
    assertEquals("CRC_MISMATCH", error.get("rule"));
    assertTrue(((String) error.get("message")).startsWith("offset 30: crc mismatch"), r.out());
  }

  @Test
  void tableOfARefusedFileIsOneStderrLineWithOffsetAndRuleAndExitsOne() throws Exception {
    Path f = snapshot(1, "a", "v");
    byte[] b = Files.readAllBytes(f);
    LittleEndian.putU16Le(b, 4, 2);
    Files.write(f, b);
    Run r = db20("inspect", f.toString());
    assertEquals(1, r.exit());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("offset 4: unknown version"), r.err());
  }

  @Test
  void tableShowsLayoutFromTheReader() throws Exception {
    Run r = db20("inspect", snapshot(2, "a", "v", "b", "").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().matches("(?s).*entries\\s+20\\s+19\\s+2 entries\\n.*"), r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*crc32c\\s+39\\s+4\\s+0x[0-9a-f]{8} \\(computed 0x[0-9a-f]{8}, ok\\)\\n.*"),
        r.out());
    assertTrue(r.out().matches("(?s).*\\n\\s+1\\s+30\\s+1 \"b\"\\s+0 \"\"\\n.*"), r.out());
  }

  @Test
  void badMagicOfA1GibFileOfZerosIsRefusedAtOffset0() throws Exception {
    Path f = tmp.resolve("zeros.db20");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(1L << 30);
    }
    Run r = db20("inspect", "--json", f.toString());
    assertEquals(1, r.exit());
    assertEquals(
        Map.of("offset", 0L, "rule", "BAD_MAGIC"),
        Map.of(
            "offset",
            map(json(r.out()).get("error")).get("offset"),
            "rule",
            map(json(r.out()).get("error")).get("rule")));
  }

  @Test
  void memoryDoesNotGrowWithTheFile() throws Exception {
    // A 64 MiB snapshot inspected (--all) by a JVM allowed 32 MiB of heap: reading it whole, as
    // inspect once did, cannot fit.
    Path f = tmp.resolve("big.db20");
    int entries = 64 * 1024;
    Bytes value = Bytes.copyOf(new byte[1100]);
    try (OutputStream out = Files.newOutputStream(f)) {
      SnapshotSink sink = SnapshotWriter.sink(out);
      sink.begin(9, entries);
      for (int i = 0; i < entries; i++) {
        sink.entry(Bytes.ofAscii(String.format("k%06d", i)), value);
      }
      sink.finish();
    }
    assertTrue(Files.size(f) > 64L << 20);
    List<String> cmd =
        Db20Process.java(List.of("-Xmx32m"), Db20.class, "inspect", "--all", f.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(false)
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "inspect did not exit");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), err);
  }

  @Test
  void missingFileIsOneLineNamingThePathAndExitsTwo() {
    Path f = tmp.resolve("absent.db20");
    Run r = db20("inspect", f.toString());
    assertEquals(2, r.exit());
    assertEquals("db20 inspect: " + f + ": no such file" + System.lineSeparator(), r.err());
  }

  @Test
  void directoryIsOneLineNamingThePathAndExitsTwo() {
    Run r = db20("inspect", "--json", tmp.toString());
    assertEquals(2, r.exit());
    assertEquals("db20 inspect: " + tmp + ": is a directory" + System.lineSeparator(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void unreadableFileIsOneLineNamingThePathAndExitsTwo() throws Exception {
    Path f = snapshot(1, "a", "v");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    assumeTrue(!Files.isReadable(f), "running as a user who reads every file (root)");
    Run r = db20("inspect", f.toString());
    assertEquals(2, r.exit());
    assertEquals("db20 inspect: " + f + ": permission denied" + System.lineSeparator(), r.err());
  }

  @Test
  void helpExitsZeroAndDocumentsLargeU64AsStrings() {
    Run r = db20("inspect", "--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("2^53"), r.out());
    assertFalse(r.out().contains("Missing required parameter"), r.out());
  }
}

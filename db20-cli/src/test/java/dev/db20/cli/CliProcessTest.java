package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The db20 command end to end, as a separate process: exit codes, stdout and stderr are what a user
 * (or another program) sees.
 */
class CliProcessTest {
  /** The golden outputs live with the vectors; this test checks the CLI prints them. */
  static final Path VECTORS = Path.of("..", "db20-conformance", "vectors");

  @TempDir Path tmp;

  Path script(String text) throws IOException {
    Path p = Files.createTempFile(tmp, "script", ".txt");
    Files.writeString(p, text);
    return p;
  }

  void badLine(String script, int line, String messageStart, String stdoutBefore) throws Exception {
    Db20Process.Run r = Db20Process.run("", "run", script(script).toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("error line " + line + ": " + messageStart), r.err());
    assertEquals(1, r.err().lines().count(), "one line on stderr, no stack trace: " + r.err());
    assertEquals(stdoutBefore, r.out());
  }

  @Test
  void runFilePrintsTheScriptOutput() throws Exception {
    Db20Process.Run r =
        Db20Process.run("", "run", script("cluster 1\nput a v\nget a\ndigest\n").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("committed 1\nvalue 76\ndigest aa68a1fca4352910\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void runDashReadsStandardInput() throws Exception {
    Db20Process.Run r = Db20Process.run("cluster 1\nput a v\n", "run", "-");
    assertEquals(0, r.exit());
    assertEquals("committed 1\n", r.out());
  }

  @Test
  void everyErrorClassExitsTwoWithTheLineNumber() throws Exception {
    badLine("cluster 1\nnoop\nfly\n", 3, "unknown command 'fly'", "committed 1\n");
    badLine("cluster 1\nput a\n", 2, "'put' expects 2 arguments", "");
    badLine("cluster x1\n", 1, "invalid number 'x1'", "");
    badLine("cluster 2\nreplica 2\n", 2, "replica id 2 out of range 0..1", "");
    badLine(
        "cluster 1\nput " + "k".repeat(65_536) + " v\n",
        2,
        "key length exceeds the limit of 65535 bytes",
        "");
    badLine("seed 1\nnoop\n", 2, "'noop' before the first 'cluster'", "");
    badLine("keys 0\n", 1, "key space 0 out of range", "");
    badLine("cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
    badLine("cluster 256\n", 1, "cluster size 256 out of range 1..255", "");
  }

  @Test
  void missingScriptFileExitsTwo() throws Exception {
    Db20Process.Run r = Db20Process.run("", "run", tmp.resolve("nope.txt").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("nope.txt: no such file"), r.err());
  }

  @Test
  void scenarioAPrintsItsDigest() throws Exception {
    Db20Process.Run r = Db20Process.run("", "scenario", "A");
    assertEquals(0, r.exit(), r.err());
    assertEquals(Files.readString(VECTORS.resolve("scenario-a.out")), r.out());
    assertTrue(r.out().startsWith("ops committed=1000 rejected=0\ndigest "), r.out());
  }

  @Test
  void scenarioBPrintsItsDigest() throws Exception {
    Db20Process.Run r = Db20Process.run("", "scenario", "b");
    assertEquals(0, r.exit(), r.err());
    assertEquals(Files.readString(VECTORS.resolve("scenario-b.out")), r.out());
  }

  @Test
  void unknownScenarioExitsTwo() throws Exception {
    Db20Process.Run r = Db20Process.run("", "scenario", "C");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown scenario 'C'"), r.err());
  }

  @Test
  void savedSnapshotsInspectWithEveryFieldAndOffset() throws Exception {
    Path dir = tmp.resolve("snaps");
    Db20Process.Run r =
        Db20Process.run(
            "",
            "run",
            "--save-snapshots",
            dir.toString(),
            script("cluster 3\nput a v\nput b w\n").toString());
    assertEquals(0, r.exit(), r.err());
    for (int id = 0; id < 3; id++) {
      assertTrue(Files.exists(dir.resolve("replica-" + id + ".db20")));
    }
    Db20Process.Run i = Db20Process.run("", "inspect", dir.resolve("replica-1.db20").toString());
    assertEquals(0, i.exit(), i.err());
    for (String row :
        List.of("magic", "version", "flags", "commit_index", "entry_count", "entries", "crc32c")) {
      assertTrue(i.out().contains(row), row + " missing in\n" + i.out());
    }
    assertTrue(i.out().matches("(?s).*commit_index\\s+8\\s+8\\s+2\\n.*"), i.out());
    assertTrue(i.out().matches("(?s).*entry_count\\s+16\\s+4\\s+2\\n.*"), i.out());
    assertTrue(i.out().matches("(?s).*crc32c\\s+40\\s+4\\s+.*ok.*"), i.out());
    assertTrue(i.out().contains("\"a\""), i.out());

    Db20Process.Run j =
        Db20Process.run("", "inspect", "--json", dir.resolve("replica-1.db20").toString());
    assertEquals(0, j.exit(), j.err());
    assertTrue(j.out().contains("\"commit_index\": 2,"), j.out());
    assertTrue(j.out().contains("\"key\": \"61\""), j.out());
  }

  @Test
  void inspectShowsTenEntriesUnlessAll() throws Exception {
    Path dir = tmp.resolve("many");
    StringBuilder s = new StringBuilder("cluster 1\n");
    for (int i = 0; i < 25; i++) {
      s.append("put key").append(100 + i).append(" v\n");
    }
    assertEquals(
        0,
        Db20Process.run(
                "", "run", "--save-snapshots", dir.toString(), script(s.toString()).toString())
            .exit());
    Db20Process.Run some = Db20Process.run("", "inspect", dir.resolve("replica-0.db20").toString());
    assertTrue(some.out().contains("first 10 of 25"), some.out());
    assertFalse(some.out().contains("key124"));
    Db20Process.Run all =
        Db20Process.run("", "inspect", "--all", dir.resolve("replica-0.db20").toString());
    assertTrue(all.out().contains("key124"), all.out());
  }

  @Test
  void corruptSnapshotExitsOneWithOffsetAndRule() throws Exception {
    Path dir = tmp.resolve("bad");
    Db20Process.run(
        "", "run", "--save-snapshots", dir.toString(), script("cluster 1\nput a v\n").toString());
    Path f = dir.resolve("replica-0.db20");
    byte[] b = Files.readAllBytes(f);
    b[29] ^= 1;
    Files.write(f, b);
    Db20Process.Run r = Db20Process.run("", "inspect", f.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("offset 30: crc mismatch"), r.err());
    assertEquals(1, r.err().lines().count(), "no stack trace: " + r.err());
    Files.write(f, new byte[] {'D', 'B'});
    Db20Process.Run t = Db20Process.run("", "inspect", f.toString());
    assertEquals(1, t.exit());
    assertTrue(t.err().contains("offset 0: truncated"), t.err());
  }

  @Test
  void helpVersionAndUsageErrors() throws Exception {
    Db20Process.Run help = Db20Process.run("", "--help");
    assertEquals(0, help.exit());
    for (String sub : List.of("run", "scenario", "inspect", "conform")) {
      assertTrue(help.out().contains(sub), help.out());
    }
    Db20Process.Run helpRun = Db20Process.run("", "help", "run");
    assertEquals(0, helpRun.exit());
    assertTrue(helpRun.out().contains("--save-snapshots"), helpRun.out());
    Db20Process.Run version = Db20Process.run("", "--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("db20 "), version.out());
    assertEquals(2, Db20Process.run("", "frobnicate").exit());
    assertEquals(2, Db20Process.run("").exit());
    assertEquals(2, Db20Process.run("", "run").exit());
    assertEquals(2, Db20Process.run("", "inspect", "--bogus", "x").exit());
  }

  @Test
  void conformPassesJavaAndFailsABrokenImplementation() throws Exception {
    Path vectors = VECTORS;
    Db20Process.Run ok = Db20Process.run("", "conform", vectors.toString());
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    assertTrue(ok.out().matches("(?s).*java: \\d+ passed, 0 failed\\n"), ok.out());

    // `cat` echoes the script instead of running it: every vector must fail.
    Db20Process.Run bad = Db20Process.run("", "conform", "--impl", "cat", vectors.toString());
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(bad.out().contains("FAIL 01-single-replica"), bad.out());
    assertTrue(bad.out().matches("(?s).*cat: 0 passed, \\d+ failed\\n"), bad.out());
  }
}

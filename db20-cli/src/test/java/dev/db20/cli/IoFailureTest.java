package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every I/O failure the CLI can meet, as a real process: exit 2 and one line naming the path and
 * the reason, never a stack trace. These tests run as root here, so "permission denied" on an
 * ordinary directory cannot be produced (root ignores mode bits); sysfs refuses new files even to
 * root, so {@code /sys} stands in for it. Disk full is {@code /dev/full}, which fails every write
 * with ENOSPC.
 */
class IoFailureTest {
  @TempDir Path tmp;

  Path script() throws Exception {
    Path p = tmp.resolve("s.txt");
    Files.writeString(p, "cluster 2\nput a v\nget a\n");
    return p;
  }

  Db20Process.Run saveSnapshotsTo(Path dir) throws Exception {
    return Db20Process.run("", "run", "--save-snapshots", dir.toString(), script().toString());
  }

  @Test
  void saveSnapshotsIntoAFilePath() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Db20Process.Run r = saveSnapshotsTo(file);
    assertEquals(2, r.exit());
    assertEquals("db20 run: cannot create directory " + file + ": not a directory", r.oneErrLine());
    assertEquals("", r.out(), "checked before the run");
  }

  @Test
  void saveSnapshotsUnderAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Db20Process.Run r = saveSnapshotsTo(file.resolve("sub"));
    assertEquals(2, r.exit());
    assertEquals(
        "db20 run: cannot create directory " + file.resolve("sub") + ": not a directory",
        r.oneErrLine());
  }

  @Test
  void saveSnapshotsWhereTheTargetIsADirectory() throws Exception {
    Path dir = tmp.resolve("snaps");
    Files.createDirectories(dir.resolve("replica-1.db20"));
    Db20Process.Run r = saveSnapshotsTo(dir);
    assertEquals(2, r.exit());
    assertEquals(
        "db20 run: cannot write " + dir.resolve("replica-1.db20") + ": is a directory",
        r.oneErrLine());
  }

  @Test
  void saveSnapshotsWherePermissionIsDenied() throws Exception {
    Db20Process.Run r = saveSnapshotsTo(Path.of("/sys/db20-test-snapshots"));
    assertEquals(2, r.exit());
    assertTrue(
        r.oneErrLine()
            .matches(
                "db20 run: cannot create directory /sys/db20-test-snapshots: "
                    + "(permission denied|operation not permitted|read-only file system)"),
        r.err());
  }

  @Test
  void saveSnapshotsWritesAtomicallyWithTheUmask() throws Exception {
    Path dir = tmp.resolve("snaps");
    // The umask of the shell that starts db20 decides the mode: 022 gives 0644, 027 gives 0640.
    for (String[] c : new String[][] {{"022", "rw-r--r--"}, {"027", "rw-r-----"}}) {
      List<String> cmd =
          new ArrayList<>(List.of("/bin/sh", "-c", "umask " + c[0] + " && exec \"$@\"", "sh"));
      cmd.addAll(
          Db20Process.command("run", "--save-snapshots", dir.toString(), script().toString()));
      Db20Process.Run r = Db20Process.run("", pb -> {}, cmd);
      assertEquals(0, r.exit(), r.err());
      for (int id = 0; id < 2; id++) {
        Set<PosixFilePermission> mode =
            Files.getPosixFilePermissions(dir.resolve("replica-" + id + ".db20"));
        assertEquals(c[1], PosixFilePermissions.toString(mode), "umask " + c[0]);
      }
    }
    try (var s = Files.list(dir)) {
      assertEquals(
          List.of("replica-0.db20", "replica-1.db20"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left behind");
    }
  }

  @Test
  void stdoutThatIsFullPrintsN14() throws Exception {
    for (String[] args :
        new String[][] {
          {"run", script().toString()}, {"scenario", "A"}, {"conform", "--impl", "cat"}
        }) {
      Db20Process.Run r =
          Db20Process.run(
              "", pb -> pb.redirectOutput(new File("/dev/full")), Db20Process.command(args));
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertEquals("error: cannot write to standard output", r.oneErrLine());
    }
  }

  @Test
  void stdoutThatIsClosedPrintsN14() throws Exception {
    for (String[] args :
        new String[][] {
          {"run", script().toString()}, {"scenario", "B"}, {"conform", "--impl", "cat"}
        }) {
      List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" >&-", "sh"));
      cmd.addAll(Db20Process.command(args));
      Db20Process.Run r = Db20Process.run("", pb -> {}, cmd);
      assertEquals(2, r.exit(), r.err());
      assertEquals("error: cannot write to standard output", r.oneErrLine());
    }
  }

  @Test
  void stdoutWhoseReaderWentAwayPrintsN14() throws Exception {
    // A pipe whose reader exited (`db20 run big | head -c 1`): EPIPE on a later write.
    StringBuilder big = new StringBuilder("cluster 1\n");
    for (int i = 0; i < 20_000; i++) {
      big.append("noop\n");
    }
    Path s = Files.writeString(tmp.resolve("big.txt"), big);
    List<String> cmd =
        new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" | head -c 1 >/dev/null; exit 0", "sh"));
    cmd.addAll(Db20Process.command("run", s.toString()));
    Db20Process.Run r = Db20Process.run("", pb -> {}, cmd);
    assertEquals("error: cannot write to standard output", r.oneErrLine());
  }

  @Test
  void reportPathsThatCannotBeWritten() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path one = CliProcessTest.VECTORS.resolve("10-put-get-del.txt");
    String[][] cases = {
      {tmp.resolve("missing").resolve("r.xml").toString(), "no such file or directory"},
      {file.resolve("r.xml").toString(), "not a directory"},
      {tmp.toString(), "is a directory"},
      {"/dev/full", "not a regular file"},
    };
    for (String option : List.of("--junit-xml", "--json")) {
      for (String[] c : cases) {
        Db20Process.Run r = Db20Process.run("", "conform", option, c[0], one.toString());
        assertEquals(2, r.exit(), option + " " + c[0]);
        assertEquals("db20 conform: cannot write " + c[0] + ": " + c[1], r.oneErrLine());
        assertEquals("", r.out(), "checked before the run");
      }
      Db20Process.Run denied =
          Db20Process.run("", "conform", option, "/sys/db20-test.xml", one.toString());
      assertEquals(2, denied.exit());
      assertTrue(
          denied
              .oneErrLine()
              .matches(
                  "db20 conform: cannot write /sys/db20-test.xml: "
                      + "(permission denied|operation not permitted|read-only file system)"),
          denied.err());
    }
    assertFalse(
        Files.isRegularFile(Path.of("/dev/full")), "/dev/full must never be replaced by a report");
  }

  @Test
  void reportsAreWrittenWithTheUmaskAndReplaceAnOldOne() throws Exception {
    Path xml = Files.writeString(tmp.resolve("r.xml"), "old");
    Db20Process.Run r =
        Db20Process.run(
            "",
            "conform",
            "--junit-xml",
            xml.toString(),
            CliProcessTest.VECTORS.resolve("10-put-get-del.txt").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.readString(xml).startsWith("<?xml"));
    assertFalse(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(xml)).equals("rw-------"),
        "not forced to 0600");
  }

  @Test
  void anUnreadableScriptIsOneLine() throws Exception {
    Db20Process.Run dir = Db20Process.run("", "run", tmp.toString());
    assertEquals(2, dir.exit());
    assertEquals("db20 run: " + tmp + ": is a directory", dir.oneErrLine());
  }
}

package dev.db20.cli;

import dev.db20.conformance.SnapshotCheck;
import dev.db20.script.Escape;
import dev.db20.script.ExitCode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code db20 check FILE}: the strict reader's verdict on a snapshot in one line, the same bytes in
 * every implementation (docs/spec-notes.md N16). Exit 0 for {@code ok ...}, 1 for {@code refused
 * ...}, 2 for a file that cannot be read or a standard output that cannot be written.
 */
@Command(
    name = "check",
    description = {
      "Reads a snapshot file (SPEC §4) with the strict reader and prints one line:",
      "'ok commit=C entries=N crc=XXXXXXXX' (exit 0) or 'refused offset O: RULE' (exit 1)."
    })
final class CheckCommand implements Callable<Integer> {

  // A String, not a Path: a file name that is not valid in the platform charset must still reach
  // the error line (escaped), not fail in picocli's conversion.
  @Parameters(paramLabel = "FILE", description = "the snapshot file")
  String file;

  @Override
  public Integer call() {
    return run(file, new FileOutputStream(FileDescriptor.out), System.err);
  }

  /** Checks {@code file}, writing the line to {@code out} and any error line to {@code err}. */
  static int run(String file, OutputStream out, PrintStream err) {
    SnapshotCheck.Result r;
    try {
      Path p = Path.of(file);
      // N18: a regular file only, read through the streaming reader in bounded memory.
      try (FileChannel ch = Io.openRegular(p)) {
        r = SnapshotCheck.check(ch);
      }
    } catch (InvalidPathException e) {
      // A NUL in the name.
      return cannotRead(err, file, "read error");
    } catch (IOException e) {
      return cannotRead(err, file, Io.readReason(e));
    }
    try {
      out.write((r.line() + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      err.println(Io.STDOUT_FAILED);
      return ExitCode.BAD_INPUT;
    }
    return r.exit();
  }

  private static int cannotRead(PrintStream err, String file, String reason) {
    byte[] name = file.getBytes(StandardCharsets.UTF_8);
    err.println("error: cannot read " + Escape.token(name, 0, name.length) + ": " + reason);
    return ExitCode.BAD_INPUT;
  }
}

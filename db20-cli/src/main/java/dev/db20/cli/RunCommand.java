package dev.db20.cli;

import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import dev.db20.core.Cluster;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db20 run FILE|-}: runs a script, SPEC §7. */
@Command(
    name = "run",
    description = {
      "Runs a script (SPEC §7) and prints one line per command that prints.",
      "A bad line prints 'error line L: MESSAGE' on stderr and exits 2; earlier output stays."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE|-", description = "the script, or - for standard input")
  String file;

  @Option(
      names = "--save-snapshots",
      paramLabel = "DIR",
      description = "after a clean run, write each replica's snapshot to DIR/replica-<id>.db20")
  Path snapshotDir;

  @Override
  public Integer call() throws IOException {
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    ScriptRunner runner = new ScriptRunner(stdout);
    try (InputStream in = Scripts.open(file)) {
      runner.run(in);
    } catch (ScriptException e) {
      System.err.println(e.getMessage());
      return Db20.EXIT_BAD_INPUT;
    } catch (Scripts.UnreadableException e) {
      System.err.println("db20 run: " + e.getMessage());
      return Db20.EXIT_BAD_INPUT;
    }
    if (snapshotDir != null) {
      return saveSnapshots(runner.cluster(), snapshotDir, System.err);
    }
    return 0;
  }

  /** Writes every replica's snapshot; each file appears whole or not at all. */
  static int saveSnapshots(Cluster cluster, Path dir, PrintStream err) throws IOException {
    if (cluster == null) {
      err.println("db20 run: --save-snapshots: the script made no cluster");
      return Db20.EXIT_BAD_INPUT;
    }
    Files.createDirectories(dir);
    for (int id = 0; id < cluster.size(); id++) {
      Path target = dir.resolve("replica-" + id + ".db20");
      Path tmp = Files.createTempFile(dir, "replica-" + id + ".", ".tmp");
      try {
        Files.write(tmp, cluster.replica(id).dumpState());
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return 0;
  }
}

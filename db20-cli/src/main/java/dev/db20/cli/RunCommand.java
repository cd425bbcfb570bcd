package dev.db20.cli;

import dev.db20.api.KvCluster;
import dev.db20.script.ExitCode;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db20 run FILE|-}: runs a script, SPEC §7. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Runs a script (SPEC §7) and prints one line per command that prints.",
    description = {
      "A bad line prints 'error line L: MESSAGE' on stderr and exits 2; the output",
      "of earlier lines stays. If standard output cannot be written, prints",
      "'" + Io.STDOUT_FAILED + "' and exits 2."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE|-", description = "the script, or - for standard input")
  String file;

  @Option(
      names = "--save-snapshots",
      paramLabel = "DIR",
      description =
          "after a clean run, write each replica's snapshot to DIR/replica-<id>.db20 "
              + "(created if missing; each file atomic, mode from the umask)")
  Path snapshotDir;

  @Override
  public Integer call() throws IOException {
    if (snapshotDir != null) {
      // Before the run, not after: a long script should not run only to find DIR unusable.
      Io.createDirectories(snapshotDir);
    }
    Io.Stdout stdout = new Io.Stdout();
    ScriptRunner runner = new ScriptRunner(stdout);
    try (InputStream in = Scripts.open(file)) {
      runner.run(in);
    } catch (ScriptException e) {
      System.err.println(e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (Scripts.UnreadableException e) {
      System.err.println("db20 run: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (IOException e) {
      if (stdout.failed()) {
        System.err.println(Io.STDOUT_FAILED);
        return ExitCode.BAD_INPUT;
      }
      System.err.println("db20 run: cannot read " + Io.show(file) + ": " + Io.reason(e));
      return ExitCode.BAD_INPUT;
    }
    if (snapshotDir != null) {
      return saveSnapshots(runner.cluster(), snapshotDir, System.err);
    }
    return 0;
  }

  /**
   * Writes every node's snapshot, through the seam (so it works on any cluster the script ran on);
   * each file appears whole or not at all.
   */
  static int saveSnapshots(KvCluster cluster, Path dir, PrintStream err) throws Io.Failure {
    if (cluster == null) {
      err.println("db20 run: --save-snapshots: the script made no cluster");
      return ExitCode.BAD_INPUT;
    }
    for (int id = 0; id < cluster.size(); id++) {
      Io.writeAtomically(dir.resolve("replica-" + id + ".db20"), cluster.snapshot(id));
    }
    return 0;
  }
}

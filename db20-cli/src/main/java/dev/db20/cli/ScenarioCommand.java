package dev.db20.cli;

import dev.db20.conformance.Scenarios;
import dev.db20.script.ExitCode;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code db20 scenario A|B}: runs a named scenario of SPEC §7. */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    header = "Runs scenario A or B of SPEC §7 and prints its output, ending in its digest.",
    description = {
      "A: five replicas, no failures. B: partitions, a view change, a minority",
      "side, heal. If standard output cannot be written, prints",
      "'" + Io.STDOUT_FAILED + "' and exits 2."
    })
final class ScenarioCommand implements Callable<Integer> {
  @Parameters(paramLabel = "A|B", description = "the scenario")
  String name;

  @Override
  public Integer call() throws IOException {
    byte[] script;
    try {
      script = Scenarios.script(name);
    } catch (IllegalArgumentException e) {
      System.err.println("db20 scenario: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    Io.Stdout stdout = new Io.Stdout();
    try {
      new ScriptRunner(stdout).run(new ByteArrayInputStream(script));
    } catch (ScriptException e) {
      throw new IllegalStateException(
          "scenario " + name + " is a broken script: " + e.getMessage(), e);
    } catch (IOException e) {
      if (stdout.failed()) {
        System.err.println(Io.STDOUT_FAILED);
        return ExitCode.BAD_INPUT;
      }
      throw e;
    }
    return 0;
  }
}

package dev.db20.cli;

import dev.db20.conformance.Scenarios;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code db20 scenario A|B}: runs a named scenario of SPEC §7. */
@Command(
    name = "scenario",
    description = "Runs scenario A (five replicas, no failures) or B (partitions, view change, heal) and prints its output, ending in its digest.")
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
      return Db20.EXIT_BAD_INPUT;
    }
    try {
      new ScriptRunner(new FileOutputStream(FileDescriptor.out)).run(new ByteArrayInputStream(script));
    } catch (ScriptException e) {
      throw new IllegalStateException("scenario " + name + " is a broken script: " + e.getMessage(), e);
    }
    return 0;
  }
}

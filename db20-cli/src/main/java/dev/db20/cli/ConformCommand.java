package dev.db20.cli;

import dev.db20.conformance.Conformance;
import dev.db20.conformance.Implementation;
import dev.db20.conformance.Outcome;
import dev.db20.conformance.Reports;
import dev.db20.conformance.Suite;
import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db20 conform}: checks an implementation, Java or any program, against the vectors. */
@Command(
    name = "conform",
    mixinStandardHelpOptions = true,
    header = "Runs the conformance vectors against the Java implementation or any program.",
    description = {
      "The vectors are the released suite inside this jar, unless VECTORS names a",
      "directory or one vector file. A program is started as",
      "'PROGRAM [ARG...] run -' with the script on standard input. Its stdout must",
      "equal NAME.out byte for byte; its exit status must be 0, or 2 for an error",
      "vector, whose first stderr line must equal the line in NAME.err.",
      "A check vector runs 'PROGRAM [ARG...] check FILE' on check-NAME.db20 (a",
      "temporary copy): one stdout line and the exit status of check-NAME.check.",
      "A process vector runs proc-NAME.run with stdout closed or /dev/full, or",
      "sends SIGTERM during a long ops (proc-NAME.proc says which and what must",
      "happen); one the platform cannot set up is skipped, saying why.",
      "Prints a line per vector, the suite and its version, then",
      "'IMPL: N passed, M failed[, K skipped]'. Exit 0 if none failed, 1 if any",
      "failed, 2 if the run could not be done (program cannot start, bad vectors,",
      "unwritable report).",
      "",
      "Examples:",
      "  db20 conform --impl build/bin/db20-rust --junit-xml r.xml",
      "  db20 conform --impl python3 --impl-arg 'my impl.py' path/to/vectors",
      "  db20 conform -- node impl.js --strict",
      ""
    })
final class ConformCommand implements Callable<Integer> {
  @Option(
      names = "--impl",
      paramLabel = "PROGRAM",
      description =
          "the program to check, taken whole (never split on spaces); default: Java in-process")
  String impl;

  @Option(
      names = "--impl-arg",
      paramLabel = "ARG",
      description = "an argument for PROGRAM, before 'run -'; repeat for several")
  List<String> implArgs = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "longest run allowed for one vector; a slower run is killed and fails (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(
      names = "--junit-xml",
      paramLabel = "FILE",
      description = "also write a JUnit XML report, one testcase per vector (written atomically)")
  Path junitXml;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "also write a JSON summary: suite version, implementation, counts, each vector's result")
  Path json;

  @Parameters(
      paramLabel = "VECTORS",
      arity = "0..*",
      description =
          "a vector directory or one vector file (default: the suite in this jar); "
              + "after '--': PROGRAM [ARG...] instead of --impl")
  List<String> positional = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Java in-process for the script and check vectors; for the process vectors, which need a
   * process, this same CLI started on this JVM's own java and class path.
   */
  static Implementation javaWithProcesses(Duration timeout) {
    Implementation inProcess = Implementation.java();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Implementation self =
        Implementation.program(
            List.of(java, "-cp", System.getProperty("java.class.path"), Db20.class.getName()),
            timeout);
    return new Implementation() {
      @Override
      public String name() {
        return inProcess.name();
      }

      @Override
      public Outcome run(byte[] script) throws IOException {
        return inProcess.run(script);
      }

      @Override
      public Optional<SnapshotChecker> checker() {
        return inProcess.checker();
      }

      @Override
      public Optional<ProcessRunner> processes() {
        return self.processes();
      }
    };
  }

  @Override
  public Integer call() throws IOException {
    // Everything after `--` is the program and its arguments; picocli hands it over as trailing
    // positionals, so count what followed `--` in the original arguments.
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int dashes = original.indexOf("--");
    int after = dashes < 0 ? 0 : original.size() - dashes - 1;
    List<String> command =
        new ArrayList<>(positional.subList(positional.size() - after, positional.size()));
    List<String> before = positional.subList(0, positional.size() - after);
    if (before.size() > 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "one VECTORS path at most, got " + before);
    }
    if (impl != null && !command.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give the program with --impl or after --, not both");
    }
    if (impl == null && command.isEmpty() && !implArgs.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--impl-arg needs --impl");
    }
    if (impl != null) {
      command.add(impl);
      command.addAll(implArgs);
    }
    if (timeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--timeout must be at least 1 second, got " + timeoutSeconds);
    }
    if (!command.isEmpty() && command.get(0).isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "the program to check is empty");
    }

    Suite suite;
    try {
      suite = before.isEmpty() ? Suite.bundled() : Suite.load(Path.of(before.get(0)));
    } catch (NoSuchFileException e) {
      System.err.println("db20 conform: " + Io.show(before.get(0)) + ": no such file or directory");
      return ExitCode.BAD_INPUT;
    } catch (IOException e) {
      System.err.println("db20 conform: " + Io.show(e.getMessage()));
      return ExitCode.BAD_INPUT;
    }
    if (suite.size() == 0) {
      System.err.println("db20 conform: " + Io.show(suite.source()) + " holds no vectors");
      return ExitCode.BAD_INPUT;
    }
    // Before the run: a report path that cannot work should not cost a whole run to find out.
    for (Path report : new Path[] {junitXml, json}) {
      if (report != null) {
        Io.checkWritable(report);
      }
    }

    Implementation implementation =
        command.isEmpty()
            ? javaWithProcesses(Duration.ofSeconds(timeoutSeconds))
            : Implementation.program(command, Duration.ofSeconds(timeoutSeconds));
    Conformance.Report report;
    try {
      report = Conformance.checkAll(implementation, suite, System.out);
    } catch (Implementation.CannotStartException e) {
      System.out.flush();
      System.err.println("db20 conform: " + Io.show(e.getMessage()));
      return ExitCode.BAD_INPUT;
    }
    if (junitXml != null) {
      Io.writeAtomically(junitXml, Reports.junitXml(report));
    }
    if (json != null) {
      Io.writeAtomically(json, Reports.json(report));
    }
    if (System.out.checkError()) {
      System.err.println(Io.STDOUT_FAILED);
      return ExitCode.BAD_INPUT;
    }
    return report.failures() == 0 ? 0 : ExitCode.FAILED;
  }
}

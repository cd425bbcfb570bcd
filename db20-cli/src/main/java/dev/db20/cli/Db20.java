package dev.db20.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code db20} command. Exit codes: 0 success, 1 a check failed (a corrupt file, a
 * conformance mismatch), 2 bad usage or bad input (including a bad script line).
 */
@Command(
    name = "db20",
    mixinStandardHelpOptions = true,
    versionProvider = Db20.Version.class,
    description = "Runs db20 scripts and scenarios, inspects snapshot files, checks conformance.",
    subcommands = {
      RunCommand.class,
      ScenarioCommand.class,
      InspectCommand.class,
      ConformCommand.class,
      dev.db20.ratis.cli.ServerCommand.class,
      dev.db20.ratis.cli.ClientCommand.class,
      dev.db20.ratis.cli.LocalCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check failed (corrupt snapshot, conformance mismatch)",
      "2:bad usage or bad input (unknown option, bad script line, unreadable file)"
    })
public final class Db20 implements Runnable {
  /** A check failed. */
  static final int EXIT_CHECK_FAILED = 1;
  /** Bad usage or bad input. */
  static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and returns the exit code, without exiting. */
  public static int execute(String... args) {
    return new CommandLine(new Db20()).execute(args);
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Reads the version Maven wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Db20.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"db20 " + p.getProperty("version", "unknown")};
    }
  }
}

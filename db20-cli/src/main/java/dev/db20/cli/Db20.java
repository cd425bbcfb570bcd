package dev.db20.cli;

import dev.db20.script.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code db20} command. Exit codes: 0 success, 1 a check failed (a corrupt file, a conformance
 * mismatch), 2 bad usage or bad input (including a bad script line and any I/O failure, reported as
 * one line naming the path and the reason).
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
      CheckCommand.class,
      ConformCommand.class,
      BenchCommand.class,
      ServerCommand.class,
      ClientCommand.class,
      LocalCommand.class,
      CertsCommand.class,
      AdminCommand.class,
      NemesisCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check failed (corrupt snapshot, conformance mismatch)",
      "2:bad usage or bad input (unknown option, bad script line, unreadable or unwritable file)"
    })
public final class Db20 implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The command line with the conventions every subcommand shares (see {@link #conventions}). */
  static CommandLine commandLine() {
    return conventions(new CommandLine(new Db20()));
  }

  /**
   * Applies the conventions to every subcommand, including ones written without them: {@code SUB
   * --help} and {@code --version} (the standard help mixin); a one-line summary in the top-level
   * list (the header, else the first sentence of the description, never a line cut mid-sentence);
   * arguments nothing matched fail even beside {@code --help} (picocli would otherwise print help
   * and exit 0 for {@code db20 server --help}); and an {@link IOException} escaping a command is
   * one line, {@code db20 SUB: MESSAGE}, exit 2, not a stack trace.
   */
  static CommandLine conventions(CommandLine root) {
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
      if (spec.findOption("--help") == null) {
        spec.mixinStandardHelpOptions(true);
      }
      if (spec.usageMessage().header().length == 0
          && spec.usageMessage().description().length > 0) {
        spec.usageMessage().header(firstSentence(spec.usageMessage().description()));
      }
    }
    root.setExecutionStrategy(
        parseResult -> {
          for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (!pr.unmatched().isEmpty()) {
              throw new CommandLine.UnmatchedArgumentException(
                  pr.commandSpec().commandLine(), pr.unmatched());
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    root.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IOException io) {
            return ioFailure(commandLine.getCommandName(), io, commandLine.getErr());
          }
          throw e;
        });
    return root;
  }

  /** The description's first sentence, its lines joined: a whole summary for the command list. */
  static String firstSentence(String[] description) {
    String all = String.join(" ", description).replaceAll("\\s+", " ").strip();
    int end = all.indexOf(". ");
    return end < 0 ? all : all.substring(0, end + 1);
  }

  /** Runs the command line and returns the exit code, without exiting. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** One line for an I/O failure that reached the top of a command, and the exit code. */
  static int ioFailure(String command, IOException e, java.io.PrintWriter err) {
    String reason = e instanceof Io.Failure ? e.getMessage() : Io.reason(e);
    err.println("db20 " + command + ": " + reason);
    err.flush();
    return ExitCode.BAD_INPUT;
  }

  /** Entry point for callers that name this class; the jar's entry point is {@link Main}. */
  public static void main(String[] args) {
    Main.main(args);
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

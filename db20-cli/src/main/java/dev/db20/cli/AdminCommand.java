package dev.db20.cli;

import dev.db20.ratis.Endpoint;
import dev.db20.ratis.Membership;
import dev.db20.ratis.Peers;
import dev.db20.ratis.RatisCluster;
import dev.db20.script.ExitCode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code db20 admin}: membership changes over the nodes' admin endpoints (127.0.0.1 unless a node
 * was started with {@code --admin-listen}), authenticated with the admin certificate.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    // Every nested command gets --help and --version too. Added to a method command's spec after
    // parsing, the options would shift its parameters (picocli binds them by position).
    scope = CommandLine.ScopeType.INHERIT,
    description = {
      "Changes a running cluster's membership (Ratis setConfiguration) as its administrator.",
      "Prints the new membership as 'peers ID=HOST:PORT,...'; start nodes with it from then on."
    })
public final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--peers",
      paramLabel = "0=HOST:PORT,1=...",
      // Required, but checked when a command runs (Cli.peers): picocli checks a parent's required
      // options before a subcommand's --help, which would refuse `client load --help`.
      description = "the cluster's current members, by id (required)")
  String peers;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description = "mutual TLS with DIR/admin.pem, admin.key, trusting DIR/ca-node.pem")
  Path tlsDir;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required: add-node, remove-node");
  }

  private int change(Supplier<String> change) {
    try {
      System.out.println("peers " + change.get());
      return ExitCode.OK;
    } catch (IllegalArgumentException e) {
      System.err.println("db20 admin: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (RatisCluster.UnavailableException e) {
      System.err.println("db20 admin: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }

  @Command(
      name = "add-node",
      description = {
        "Adds node ID at HOST:PORT (its peer endpoint), started with 'db20 server --join'.",
        "The leader catches it up before the change commits."
      })
  int addNode(@Parameters(paramLabel = "ID=HOST:PORT") String node) {
    Peers p = Cli.peers(spec.commandLine(), peers);
    int eq = node.indexOf('=');
    int id;
    Endpoint e;
    try {
      id = Integer.parseInt(node.substring(0, Math.max(0, eq)));
      e = Endpoint.parse(node.substring(eq + 1));
    } catch (IllegalArgumentException x) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "add-node: want ID=HOST:PORT, got '" + node + "'");
    }
    if (id != p.size()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "add-node: the new node's id"
              + " must be "
              + p.size()
              + " (db20 ids are 0..N-1), not "
              + id);
    }
    return change(() -> Membership.addNode(p, Optional.ofNullable(tlsDir), id, e));
  }

  @Command(name = "remove-node", description = "Removes node ID from the membership.")
  int removeNode(@Parameters(paramLabel = "ID") int id) {
    Peers p = Cli.peers(spec.commandLine(), peers);
    return change(() -> Membership.removeNode(p, Optional.ofNullable(tlsDir), id));
  }
}

package dev.db20.cli;

import dev.db20.ratis.Certificates;
import dev.db20.script.Escape;
import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db20 certs}: the certificates of a cluster, for {@code --tls-dir}. Three private CAs
 * (node, client, admin), one certificate per node, a client and an admin certificate. Run again
 * with a larger {@code --nodes} it adds the new nodes' certificates, signed by the same CAs.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Creates the CAs and certificates for 'db20 server/client/admin --tls-dir DIR'.",
      "Keeps what DIR already holds; prints each file it writes. DIR is 0700, files 0600.",
      "Node I needs node-I.pem/.key and ca-node.pem, ca-client.pem, ca-admin.pem;",
      "a client client.pem/.key and ca-node.pem; an administrator admin.pem/.key and ca-node.pem.",
      "Keep ca-*.key off the nodes: whoever holds them can mint any identity."
    })
public final class CertsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write")
  Path out;

  @Option(
      names = "--nodes",
      required = true,
      paramLabel = "N",
      description = "certificates for nodes 0..N-1")
  int nodes;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = {
        "a name or address the nodes are reached at (repeatable);",
        "127.0.0.1, ::1 and localhost are always in"
      })
  List<String> hosts = List.of();

  private static String shown(Path p) {
    byte[] b = p.toString().getBytes(StandardCharsets.UTF_8);
    return Escape.token(b, 0, b.length);
  }

  @Override
  public Integer call() {
    if (nodes < 1 || nodes > 1000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--nodes " + nodes + " out of range 1..1000");
    }
    List<Path> written;
    try {
      written = Certificates.create(out, nodes, hosts);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      System.err.println("db20 certs: " + e.getMessage());
      return ExitCode.FAILED;
    }
    for (Path p : written) {
      System.out.println("wrote " + shown(p));
    }
    if (written.isEmpty()) {
      System.out.println("nothing to write: " + shown(out) + " holds every certificate asked for");
    }
    return ExitCode.OK;
  }
}

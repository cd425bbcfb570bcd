package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.ratis.NodeDigest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad arguments: one line on stderr, exit 2. Help: exit 0. */
class RatisCliTest {
  private static void badUsage(Object command, String expected, String... args) {
    StringWriter err = new StringWriter();
    assertEquals(2, Cli.execute(command, new PrintWriter(err, true), args));
    String text = err.toString();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains(expected), text);
  }

  @Test
  void badArgumentsAreOneLineAndExit2() {
    badUsage(
        new ServerCommand(),
        "--peers: bad peer 'bogus'",
        "--id",
        "0",
        "--peers",
        "bogus",
        "--dir",
        "x");
    badUsage(
        new ServerCommand(),
        "--id 3 is not in --peers",
        "--id",
        "3",
        "--peers",
        "0=127.0.0.1:1,1=127.0.0.1:4",
        "--dir",
        "x");
    badUsage(
        new ServerCommand(),
        "peer id 1 given twice",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:1,1=127.0.0.1:4,1=h:3",
        "--dir",
        "x");
    badUsage(
        new ServerCommand(),
        "peers 0 and 1 overlap on 127.0.0.1",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:7000,1=127.0.0.1:7001",
        "--dir",
        "x");
    badUsage(
        new ServerCommand(),
        "--listen: bad address 'nowhere'",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:7000",
        "--dir",
        "x",
        "--listen",
        "nowhere");
    badUsage(
        new ServerCommand(),
        "peer, client and admin endpoints need three ports",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:7000",
        "--dir",
        "x",
        "--admin-listen",
        "127.0.0.1:7001");
    badUsage(new ServerCommand(), "Missing required option", "--id", "0");
    badUsage(new ClientCommand(), "Missing required option: '--peers", "get", "k");
    badUsage(new ClientCommand(), "Missing required option: '--peers", "load", "--ops", "5");
    badUsage(new AdminCommand(), "Missing required option: '--peers", "remove-node", "1");
    badUsage(new ClientCommand(), "a command is required", "--peers", "0=127.0.0.1:1");
    badUsage(new ClientCommand(), "Unmatched argument", "--peers", "0=127.0.0.1:1", "frobnicate");
    badUsage(new ClientCommand(), "key length 0", "--peers", "0=127.0.0.1:1", "put", "", "v");
    badUsage(
        new ClientCommand(),
        "--clients 1..1024",
        "--peers",
        "0=127.0.0.1:1",
        "load",
        "--ops",
        "5",
        "--clients",
        "0");
    badUsage(new ClientCommand(), "one of --ops", "--peers", "0=127.0.0.1:1", "load");
    badUsage(
        new ClientCommand(),
        "one of --ops",
        "--peers",
        "0=127.0.0.1:1",
        "load",
        "--ops",
        "5",
        "--seconds",
        "1");
    badUsage(
        new ClientCommand(),
        "--warmup 0..3600",
        "--peers",
        "0=127.0.0.1:1",
        "load",
        "--seconds",
        "1",
        "--warmup",
        "-1");
    badUsage(
        new ServerCommand(),
        "--election-timeout-ms wants MIN..MAX",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:1",
        "--dir",
        "x",
        "--election-timeout-ms",
        "5");
    badUsage(
        new ServerCommand(),
        "election timeout 900..800 ms",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:1",
        "--dir",
        "x",
        "--election-timeout-ms",
        "900..800");
    badUsage(
        new LocalCommand(),
        "outstanding appends 0 not in 1..1024",
        "--dir",
        "x",
        "--outstanding-appends",
        "0");
    badUsage(new LocalCommand(), "--nodes 0 out of range", "--nodes", "0", "--dir", "x");
    badUsage(
        new ServerCommand(),
        "--tls-dir and --insecure exclude each other",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:7000",
        "--dir",
        "x",
        "--tls-dir",
        "t",
        "--insecure");
    badUsage(
        new ServerCommand(),
        "--bootstrap and --join exclude each other",
        "--id",
        "0",
        "--peers",
        "0=127.0.0.1:7000",
        "--dir",
        "x",
        "--bootstrap",
        "--join");
    badUsage(new CertsCommand(), "--nodes 0 out of range 1..1000", "--out", "x", "--nodes", "0");
    badUsage(
        new AdminCommand(),
        "a command is required: add-node, remove-node",
        "--peers",
        "0=127.0.0.1:7000");
    badUsage(
        new AdminCommand(),
        "the new node's id must be 1",
        "--peers",
        "0=127.0.0.1:7000",
        "add-node",
        "5=127.0.0.1:7010");
    badUsage(
        new AdminCommand(),
        "add-node: want ID=HOST:PORT",
        "--peers",
        "0=127.0.0.1:7000",
        "add-node",
        "bogus");
  }

  @Test
  void digestNamesNodesThatDisagreeAtOneIndex() {
    NodeDigest a = new NodeDigest(78, 5, 0x1111L, 90);
    NodeDigest b = new NodeDigest(78, 5, 0x2222L, 90);
    NodeDigest behind = new NodeDigest(77, 5, 0x3333L, 89);
    assertEquals(List.of(), ClientCommand.disagreements(List.of(a, a, behind)));
    assertEquals(
        List.of(
            "nodes 0 and 2 disagree at index 78: digest 0000000000001111 vs" + " 0000000000002222"),
        ClientCommand.disagreements(List.of(a, behind, b)));
  }

  @Test
  void helpExitsZero() {
    assertEquals(
        0, Cli.execute(new ServerCommand(), new PrintWriter(new StringWriter()), "--help"));
    assertEquals(
        0, Cli.execute(new ClientCommand(), new PrintWriter(new StringWriter()), "--help"));
    assertEquals(0, Cli.execute(new LocalCommand(), new PrintWriter(new StringWriter()), "--help"));
  }
}

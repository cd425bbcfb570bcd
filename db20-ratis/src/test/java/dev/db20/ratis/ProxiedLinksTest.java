package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The link matrix: views that parse, links off the nodes' ports, partitions as asked. */
class ProxiedLinksTest {
  @Test
  void viewsParseAndNoLinkTakesANodesPort() throws Exception {
    for (int round = 0; round < 10; round++) {
      Peers real = Peers.freeLoopback(5);
      try (ProxiedLinks links = new ProxiedLinks(real)) {
        for (int i = 0; i < 5; i++) {
          Peers v = links.nodeView(i); // Peers.parse: no two entries' port runs overlap
          assertEquals(real.port(i), v.port(i), "node " + i + " names itself at its real port");
          for (int j = 0; j < 5; j++) {
            if (i != j) {
              assertEquals(links.link(i, j).port(), v.port(j));
            }
          }
          assertEquals(
              links.clientLink(i).port(),
              links.clientView().port(i) + Endpoints.CLIENT_PORT_OFFSET);
        }
        for (int i = 0; i < 5; i++) {
          for (int k = 0; k <= Endpoints.ADMIN_PORT_OFFSET; k++) {
            int nodePort = real.port(i) + k;
            for (int a = 0; a < 5; a++) {
              assertTrue(links.clientLink(a).port() != nodePort, "client link on a node port");
              for (int b = 0; b < 5; b++) {
                assertTrue(a == b || links.link(a, b).port() != nodePort, "link on a node port");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void partitionCutsExactlyTheLinksAcrossTheCut() throws Exception {
    try (ProxiedLinks links = new ProxiedLinks(Peers.freeLoopback(5))) {
      links.partition(List.of(3, 4));
      for (int i = 0; i < 5; i++) {
        boolean side = i >= 3;
        assertEquals(side, links.isPartitioned(i));
        assertEquals(side ? LinkProxy.Mode.CUT : LinkProxy.Mode.PASS, links.clientLink(i).mode());
        for (int j = 0; j < 5; j++) {
          if (i != j) {
            assertEquals(
                side != (j >= 3) ? LinkProxy.Mode.CUT : LinkProxy.Mode.PASS,
                links.link(i, j).mode(),
                i + "->" + j);
          }
        }
      }
      assertThrows(IllegalArgumentException.class, () -> links.partition(List.of(5)));
      assertTrue(links.isPartitioned(3), "a refused partition changes nothing");
      links.passAll();
      for (int i = 0; i < 5; i++) {
        assertEquals(LinkProxy.Mode.PASS, links.clientLink(i).mode());
        assertTrue(!links.isPartitioned(i));
      }
    }
  }
}

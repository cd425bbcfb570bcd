package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The JUnit XML and JSON reports, read back with real parsers. */
class ReportsTest {
  static final Conformance.Report REPORT =
      new Conformance.Report(
          "db20-vectors 9",
          "ab".repeat(32),
          true,
          "impl<&>",
          List.of(
              new Conformance.Result("01-ok", true, "", Duration.ofMillis(12)),
              new Conformance.Result(
                  "02-bad\u0001",
                  false,
                  "stdout line 1: expected 'a', got '\u0000\u001b<x>&\"'",
                  Duration.ofMillis(3))));

  @Test
  void junitXmlParsesWithOneTestcasePerVectorAndEscapedFailures() throws Exception {
    byte[] xml = Reports.junitXml(REPORT);
    for (byte b : xml) {
      assertTrue(b == '\n' || (b >= 0x20 && b < 0x7f), "raw byte " + b + " in the XML");
    }
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml));
    Element suite = doc.getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    assertEquals("2", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals("0.015", suite.getAttribute("time"));
    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(2, cases.getLength());
    assertEquals("01-ok", ((Element) cases.item(0)).getAttribute("name"));
    assertEquals(0, ((Element) cases.item(0)).getElementsByTagName("failure").getLength());
    Element bad = (Element) cases.item(1);
    assertEquals("02-bad\\x01", bad.getAttribute("name"));
    Element failure = (Element) bad.getElementsByTagName("failure").item(0);
    assertEquals(
        "stdout line 1: expected 'a', got '\\x00\\x1b<x>&\"'", failure.getAttribute("message"));
    assertTrue(
        new String(xml, StandardCharsets.UTF_8)
            .contains("name=\"db20-conformance.impl&lt;&amp;&gt;\""));
  }

  @Test
  void jsonIsPrintableAsciiWithCountsAndPerVectorResults() {
    String json = new String(Reports.json(REPORT), StandardCharsets.US_ASCII);
    assertTrue(
        json.contains(
            "\"suite\": {\"version\": \"db20-vectors 9\", \"sha256\": \""
                + "ab".repeat(32)
                + "\", \"released\": true}"),
        json);
    assertTrue(json.contains("\"tests\": 2,"), json);
    assertTrue(json.contains("\"passed\": 1,"), json);
    assertTrue(json.contains("\"failed\": 1,"), json);
    assertTrue(
        json.contains("{\"name\": \"01-ok\", \"passed\": true, \"time_seconds\": 0.012}"), json);
    // \x00 in the message is escaped text; JSON then escapes its backslash.
    assertTrue(
        json.contains("\"message\": \"stdout line 1: expected 'a', got '\\\\x00\\\\x1b<x>&\\\"'\""),
        json);
    assertEquals(
        json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
  }
}

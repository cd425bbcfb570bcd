package dev.db20.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A {@link Conformance.Report} in the formats machines read: JUnit XML, which every CI system
 * shows, and a JSON summary. Every string from an implementation is escaped to printable ASCII
 * first ({@link Text#escape}), so neither document can hold a raw control byte.
 */
public final class Reports {
  private Reports() {}

  /**
   * A {@code <testsuite>} (name, tests, failures, errors, skipped, time) with one {@code
   * <testcase>} per vector; a failed vector holds a {@code <failure>} whose message is what
   * differed, the first differing line of each side; a skipped one a {@code <skipped>} saying why.
   */
  public static byte[] junitXml(Conformance.Report report) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(buf, "UTF-8");
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", "db20-conformance." + Text.escape(report.implementation()));
      x.writeAttribute("tests", Integer.toString(report.results().size()));
      x.writeAttribute("failures", Integer.toString(report.failures()));
      x.writeAttribute("errors", "0");
      x.writeAttribute("skipped", Integer.toString(report.skips()));
      x.writeAttribute("time", seconds(report.time()));
      x.writeCharacters("\n  ");
      x.writeStartElement("properties");
      property(x, "suite", report.suite());
      property(x, "sha256", report.sha256());
      property(x, "implementation", report.implementation());
      x.writeCharacters("\n  ");
      x.writeEndElement();
      for (Conformance.Result r : report.results()) {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "db20-conformance." + Text.escape(report.implementation()));
        x.writeAttribute("name", Text.escape(r.vector()));
        x.writeAttribute("time", seconds(r.time()));
        if (r.skipped()) {
          x.writeCharacters("\n    ");
          x.writeEmptyElement("skipped");
          x.writeAttribute("message", Text.escape(r.detail()));
          x.writeCharacters("\n  ");
        } else if (!r.passed()) {
          x.writeCharacters("\n    ");
          x.writeStartElement("failure");
          x.writeAttribute("message", Text.escape(r.detail()));
          x.writeAttribute("type", "mismatch");
          x.writeCharacters(Text.escape(r.detail()));
          x.writeEndElement();
          x.writeCharacters("\n  ");
        }
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to memory cannot fail: " + e.getMessage(), e);
    }
    return buf.toByteArray();
  }

  /**
   * A JSON object: {@code suite} (version label, sha256, released), {@code implementation}, {@code
   * tests}, {@code passed}, {@code failed}, {@code skipped}, {@code time_seconds}, and {@code
   * vectors}, one object per vector ({@code name}, {@code passed}, {@code time_seconds}, {@code
   * skipped: true} when skipped, and {@code message} when it failed or was skipped).
   */
  public static byte[] json(Conformance.Report report) {
    StringBuilder j = new StringBuilder();
    j.append("{\n  \"suite\": {\"version\": ")
        .append(str(report.suite()))
        .append(", \"sha256\": ")
        .append(str(report.sha256()))
        .append(", \"released\": ")
        .append(report.released())
        .append("},\n");
    j.append("  \"implementation\": ").append(str(report.implementation())).append(",\n");
    j.append("  \"tests\": ").append(report.results().size()).append(",\n");
    j.append("  \"passed\": ").append(report.passes()).append(",\n");
    j.append("  \"failed\": ").append(report.failures()).append(",\n");
    j.append("  \"skipped\": ").append(report.skips()).append(",\n");
    j.append("  \"time_seconds\": ").append(seconds(report.time())).append(",\n");
    j.append("  \"vectors\": [");
    String sep = "\n";
    for (Conformance.Result r : report.results()) {
      j.append(sep)
          .append("    {\"name\": ")
          .append(str(r.vector()))
          .append(", \"passed\": ")
          .append(r.passed())
          .append(", \"time_seconds\": ")
          .append(seconds(r.time()));
      if (r.skipped()) {
        j.append(", \"skipped\": true");
      }
      if (!r.passed()) {
        j.append(", \"message\": ").append(str(r.detail()));
      }
      j.append('}');
      sep = ",\n";
    }
    j.append("\n  ]\n}\n");
    return j.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void property(XMLStreamWriter x, String name, String value)
      throws XMLStreamException {
    x.writeCharacters("\n    ");
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", Text.escape(value));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /**
   * A JSON string of printable ASCII: escaped text, then JSON's own escapes for {@code "} and
   * {@code \}.
   */
  private static String str(String s) {
    return '"' + Text.escape(s).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}

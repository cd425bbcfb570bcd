package dev.db20.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for tests (RFC 8259, minus exponents and fractions, which inspect never
 * prints): objects become maps, arrays lists, numbers longs. Anything else, including trailing
 * text, throws, so a test that parses inspect's output proves it is one well-formed document.
 */
final class TinyJson {
  private final String s;
  private int at;

  private TinyJson(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    TinyJson p = new TinyJson(text);
    Object v = p.value();
    p.ws();
    if (p.at != text.length()) {
      throw p.error("trailing text");
    }
    return v;
  }

  private Object value() {
    ws();
    if (at >= s.length()) {
      throw error("end of input");
    }
    char c = s.charAt(at);
    switch (c) {
      case '{':
        {
          at++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (peek('}')) {
            return m;
          }
          do {
            ws();
            String k = string();
            ws();
            expect(':');
            if (m.put(k, value()) != null) {
              throw error("duplicate key " + k);
            }
            ws();
          } while (peek(','));
          expect('}');
          return m;
        }
      case '[':
        {
          at++;
          List<Object> l = new ArrayList<>();
          ws();
          if (peek(']')) {
            return l;
          }
          do {
            l.add(value());
            ws();
          } while (peek(','));
          expect(']');
          return l;
        }
      case '"':
        return string();
      case 't':
        word("true");
        return Boolean.TRUE;
      case 'f':
        word("false");
        return Boolean.FALSE;
      case 'n':
        word("null");
        return null;
      default:
        int start = at;
        if (c == '-') {
          at++;
        }
        while (at < s.length() && Character.isDigit(s.charAt(at))) {
          at++;
        }
        if (start == at || (c == '-' && at == start + 1)) {
          throw error("unexpected '" + c + "'");
        }
        return Long.parseLong(s.substring(start, at));
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = s.charAt(at++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("raw control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private void word(String w) {
    if (!s.startsWith(w, at)) {
      throw error("expected " + w);
    }
    at += w.length();
  }

  private boolean peek(char c) {
    if (at < s.length() && s.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private void ws() {
    while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + at + " in: " + s);
  }
}

package script

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func fails(t *testing.T, script string, line uint64, message, before string) {
	t.Helper()
	var out bytes.Buffer
	err := NewRunner(&out).Run(strings.NewReader(script))
	var e *Error
	if !errors.As(err, &e) || e.Line != line || e.Message != message {
		t.Fatalf("err = %v, want line %d: %s", err, line, message)
	}
	if out.String() != before {
		t.Fatalf("stdout = %q, want %q", out.String(), before)
	}
}

func run(t *testing.T, script string) string {
	var out bytes.Buffer
	if err := NewRunner(&out).Run(strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

const want = " (want decimal or 0x hex, at most 2^64-1)"

func TestErrorClasses(t *testing.T) {
	fails(t, "cluster 1\nnoop\nfrobnicate 3\n", 3, "unknown command 'frobnicate'", "committed 1\n")
	fails(t, "cluster 3\nput a\n", 2, "'put' expects 2 arguments, got 1", "")
	fails(t, "cluster 3\nget\n", 2, "'get' expects 1 argument, got 0", "")
	fails(t, "cluster five\n", 1, "invalid number 'five'"+want, "")
	fails(t, "seed 0X10\n", 1, "invalid number '0X10'"+want, "")
	fails(t, "seed 18446744073709551616\n", 1, "invalid number '18446744073709551616'"+want, "")
	fails(t, "cluster 3\nreplica 3\n", 2, "replica id 3 out of range 0..2", "")
	fails(t, "cluster 3\npartition 0 7\n", 2, "replica id 7 out of range 0..2", "")
	fails(t, "cluster 1\nput "+strings.Repeat("k", 65536)+" v\n", 2, "key length 65536 exceeds the limit of 65535 bytes", "")
	fails(t, "cluster 1\nput k "+strings.Repeat("v", 1048577)+"\n", 2, "value length 1048577 exceeds the limit of 1048576 bytes", "")
	fails(t, "seed 1\nkeys 4\nput a b\n", 3, "'put' before the first 'cluster'", "")
	fails(t, "keys 0\n", 1, "key space 0 out of range (must be >= 1)", "")
	fails(t, "cluster 0\n", 1, "cluster size 0 out of range 1..255", "")
	fails(t, "cluster 256\n", 1, "cluster size 256 out of range 1..255", "")
}

func TestNumbers(t *testing.T) {
	for s, v := range map[string]uint64{"007": 7, "0xdb20": 0xdb20, "0xFFFFffffFFFFffff": ^uint64(0)} {
		if got, ok := ParseU64([]byte(s)); !ok || got != v {
			t.Fatalf("%s -> %d %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "0x", "+1", "-1", "0X1", "1_0", "0x10000000000000000"} {
		if _, ok := ParseU64([]byte(s)); ok {
			t.Fatalf("%q parsed", s)
		}
	}
}

func TestLinesAndTokens(t *testing.T) {
	if got := run(t, "# c\r\ncluster 1\r\nput a #b\r\nget a"); got != "committed 1\nvalue 2362\n" {
		t.Fatalf("got %q", got)
	}
	if got := run(t, "cluster 1\nget "+strings.Repeat("k", 70000)+"\n"); got != "missing\n" {
		t.Fatalf("got %q", got)
	}
}

func TestEscapeToken(t *testing.T) {
	cases := map[string]string{
		"abc":                      "abc",
		"a\\b":                     "a\\\\b",
		"\x00\x1b]0;t\x07":         "\\x00\\x1b]0;t\\x07",
		"\x7f\x80\xff \t":          "\\x7f\\x80\\xff\\x20\\x09",
		"put\\\xc3\xa9":            "put\\\\\\xc3\\xa9",
		strings.Repeat("y", 64):    strings.Repeat("y", 64),
		strings.Repeat("y", 65):    strings.Repeat("y", 64) + "...(65 bytes)",
		strings.Repeat("\x01", 70): strings.Repeat("\\x01", 64) + "...(70 bytes)",
	}
	for in, want := range cases {
		if got := EscapeToken([]byte(in)); got != want {
			t.Errorf("EscapeToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorLinesQuoteTokensEscaped(t *testing.T) {
	fails(t, "cluster 1\n\x00\x1b]0;t\x07\n", 2, "unknown command '\\x00\\x1b]0;t\\x07'", "")
	fails(t, "cluster 1\nops 12\xff3\n", 2, "invalid number '12\\xff3'"+want, "")
	fails(t, "cluster 1\nnoop\n"+strings.Repeat("x", 10<<20)+"\n", 3, "unknown command '"+strings.Repeat("x", 64)+"...(10485760 bytes)'", "committed 1\n")
}

// N13: a last line without \n that ends in \r runs as if the \n followed; one \r only.
func TestLastLineEndingInCR(t *testing.T) {
	if got := run(t, "cluster 1\nput a v\ndigest\r"); !strings.HasPrefix(got, "committed 1\ndigest ") {
		t.Fatalf("got %q", got)
	}
	// The second \r is a token byte (N1): the command is "digest\r".
	fails(t, "cluster 1\ndigest\r\r", 2, "unknown command 'digest\\x0d'", "")
	fails(t, "cluster 1\ndigest\r\r\n", 2, "unknown command 'digest\\x0d'", "")
}

type brokenWriter struct{}

func (brokenWriter) Write(p []byte) (int, error) { return 0, errors.New("broken pipe") }

// N14 at the runner: a failed write stops the run at the next line or flush.
func TestOutputErrorStopsTheRun(t *testing.T) {
	r := NewRunner(brokenWriter{})
	err := r.Run(strings.NewReader("cluster 1\nnoop\nops 5\nops 18446744073709551615\n"))
	var oe *OutputError
	if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), OutputErrorLine) {
		t.Fatalf("err = %v", err)
	}
	if r.cluster.Committed() != 1 {
		t.Fatalf("the run went on after the failed flush: commit %d", r.cluster.Committed())
	}
}

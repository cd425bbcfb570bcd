package script

import (
	"bytes"
	"errors"
	"io"
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
	fails(t, "cluster 1\nput "+strings.Repeat("k", 65536)+" v\n", 2, "key length exceeds the limit of 65535 bytes", "")
	fails(t, "cluster 1\nput k "+strings.Repeat("v", 1048577)+"\n", 2, "value length exceeds the limit of 1048576 bytes", "")
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

// trickle hands out one byte per read: every token and line end crosses a buffer end.
type trickle struct{ b []byte }

func (t *trickle) Read(p []byte) (int, error) {
	if len(t.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = t.b[0]
	t.b = t.b[1:]
	return 1, nil
}

func TestGetOfAnOverlongKeyIsMissing(t *testing.T) {
	long := strings.Repeat("k", 70000)
	if got := run(t, "cluster 1\nget "+long+"\n"); got != "missing\n" {
		t.Fatalf("got %q", got)
	}
	k := strings.Repeat("k", 65535)
	if got := run(t, "cluster 1\nput "+k+" v\nget "+k+"kk\nget "+k+"k\n"); got != "committed 1\nmissing\nmissing\n" {
		t.Fatalf("got %q", got)
	}
	fails(t, "cluster 1\nget "+long+" x\n", 2, "'get' expects 1 argument, got 2", "")
	if got := run(t, "cluster 3\npartition 1 2\nget "+long+"\n"); got != "rejected\n" {
		t.Fatalf("got %q", got)
	}
}

func TestAKeyOrValuePastItsBoundIsRefusedBeforeTheRestOfTheLine(t *testing.T) {
	longKey := strings.Repeat("k", 65536)
	keyError := "key length exceeds the limit of 65535 bytes"
	valueError := "value length exceeds the limit of 1048576 bytes"
	fails(t, "put "+longKey+"\n", 1, keyError, "")
	fails(t, "cluster 1\ndel "+longKey+" x y\n", 2, keyError, "")
	v := strings.Repeat("v", 1048576)
	fails(t, "cluster 1\nput k "+v+"v x\n", 2, valueError, "")
	if got := run(t, "cluster 1\nput k "+v+"\r\n"); got != "committed 1\n" {
		t.Fatalf("got %q", got)
	}
	fails(t, "cluster 1\nput k "+v+"\rx\n", 2, valueError, "")
	fails(t, "cluster 1\nput "+longKey+" "+v+"v\n", 2, keyError, "")
}

func TestANumberOrCommandWordOver64BytesIsInvalidAndQuotedWithItsLength(t *testing.T) {
	zeros := strings.Repeat("0", 64)
	if got := run(t, "cluster "+zeros[1:]+"1\n"); got != "" {
		t.Fatalf("got %q", got)
	}
	fails(t, "cluster "+zeros+"1\n", 1, "invalid number '"+zeros+"...(65 bytes)'"+want, "")
	fails(t, "cluster 1\n"+strings.Repeat("x", 100000)+" a\n", 2,
		"unknown command '"+strings.Repeat("x", 64)+"...(100000 bytes)'", "")
}

func TestPartitionFoldsItsIdsAsTheyAreRead(t *testing.T) {
	var many strings.Builder
	many.WriteString("cluster 3\npartition")
	for i := 0; i < 10000; i++ {
		if i%2 == 0 {
			many.WriteString(" 1")
		} else {
			many.WriteString(" 2")
		}
	}
	many.WriteString("\nput a b\nreplica 0\nreplica 1\n")
	wantOut := "rejected\nreplica 0 commit=0 keys=0 partitioned=false\nreplica 1 commit=0 keys=0 partitioned=true\n"
	if got := run(t, many.String()); got != wantOut {
		t.Fatalf("got %q", got)
	}
	fails(t, "cluster 3\npartition 1 7 x 9\n", 2, "invalid number 'x'"+want, "")
	fails(t, "cluster 3\npartition 1 7 2 9\n", 2, "replica id 7 out of range 0..2", "")
	fails(t, "partition 1 7 2 9\n", 1, "'partition' before the first 'cluster'", "")
}

func TestLineEndsAndCarriageReturnsReadTheSameAcrossReadBoundaries(t *testing.T) {
	script := "cluster 1\r\nput a\rb v\r\r\n \r\n# x\r\nget a\rb\t\r\nget a\rb\r"
	wantOut := "committed 1\nvalue 760d\nvalue 760d\n"
	var out bytes.Buffer
	if err := NewRunner(&out).Run(&trickle{[]byte(script)}); err != nil || out.String() != wantOut {
		t.Fatalf("trickled: %q, %v", out.String(), err)
	}
	if got := run(t, script); got != wantOut {
		t.Fatalf("got %q", got)
	}
	err := NewRunner(io.Discard).Run(&trickle{[]byte("cluster 1\n\r\r\n")})
	var e *Error
	if !errors.As(err, &e) || e.Error() != "error line 2: unknown command '\\x0d'" {
		t.Fatalf("err = %v", err)
	}
}

func TestACommentLineOfAnyLengthIsSkipped(t *testing.T) {
	if got := run(t, "cluster 1\n#"+strings.Repeat("c \r", 300000)+"\nput a b\n"); got != "committed 1\n" {
		t.Fatalf("got %q", got)
	}
	fails(t, "cluster 1\n  #"+strings.Repeat("c", 300000)+"\n\nbad\n", 4, "unknown command 'bad'", "")
}

// spec-notes N3 from the command table: unknown command, then arity, then numbers, then the
// cluster; each line is wrong in two ways and must report the earlier check.
func TestN3OrderOfChecks(t *testing.T) {
	const number = " (want decimal or 0x hex, at most 2^64-1)"
	fails(t, "frob x y\n", 1, "unknown command 'frob'", "")
	fails(t, "ops x y\n", 1, "'ops' expects 1 argument, got 2", "")
	fails(t, "replica x\n", 1, "invalid number 'x'"+number, "")
	fails(t, "partition 0 x\n", 1, "invalid number 'x'"+number, "")
	fails(t, "heal 1\n", 1, "'heal' expects 0 arguments, got 1", "")
	fails(t, "get\n", 1, "'get' expects 1 argument, got 0", "")
	fails(t, "digest\n", 1, "'digest' before the first 'cluster'", "")
	fails(t, "cluster 0\n", 1, "cluster size 0 out of range 1..255", "")
}

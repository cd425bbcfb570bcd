package script

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// fuzzOpsBudget bounds the workload ops one fuzz input may ask for, so that `ops 2^64-1`
// ends (time, not correctness): overBudget inputs are skipped, everything else runs as the
// program runs it (Rust's examples/fuzz.rs skips the same way).
const fuzzOpsBudget = 500

// overBudget is whether the `ops` lines of in ask for more than fuzzOpsBudget ops in all.
func overBudget(in []byte) bool {
	var total uint64
	for _, line := range bytes.Split(in, []byte{'\n'}) {
		t := Tokenize(bytes.TrimSuffix(line, []byte{'\r'}))
		if len(t) == 2 && string(t[0]) == "ops" {
			if m, ok := ParseU64(t[1]); ok {
				if total += m; total < m || total > fuzzOpsBudget {
					return true
				}
			}
		}
	}
	return false
}

// checkScript is the fuzz property: any bytes either run to the end or stop with an error
// line `error line L: MESSAGE`, L a line of the input and MESSAGE printable ASCII (no raw
// input byte, spec-notes N12). Never a panic.
func checkScript(t *testing.T, in []byte) {
	if overBudget(in) {
		return
	}
	err := NewRunner(io.Discard).Run(bytes.NewReader(in))
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("stopped with %T: %v", err, err)
	}
	lines := uint64(bytes.Count(in, []byte{'\n'}))
	if len(in) > 0 && in[len(in)-1] != '\n' {
		lines++
	}
	if e.Line < 1 || e.Line > lines {
		t.Fatalf("error line %d of a %d-line input", e.Line, lines)
	}
	if want := fmt.Sprintf("error line %d: ", e.Line); !strings.HasPrefix(e.Error(), want) {
		t.Fatalf("%q does not start with %q", e.Error(), want)
	}
	for i := 0; i < len(e.Message); i++ {
		if c := e.Message[i]; c < 0x20 || c > 0x7e {
			t.Fatalf("raw byte 0x%02x in %q", c, e.Message)
		}
	}
	// At most two quoted tokens of 64 escaped bytes (4 characters each) and their lengths.
	if len(e.Message) > 2*(4*MaxQuotedToken+32)+80 {
		t.Fatalf("message of %d bytes: tokens are not cut", len(e.Message))
	}
}

func FuzzScript(f *testing.F) {
	for _, s := range []string{
		"",
		"cluster 5\nseed 20\nkeys 16\nops 100\ndigest\n",
		"cluster 5\nseed 0xdb20\nkeys 32\nops 40\npartition 3 4\nops 40\npartition 0\nops 40\npartition 1 2 3\nops 20\nheal\nops 20\npartition 2\nops 40\ndigest\n",
		"cluster 3\nput a v\nget a\ndel a\nget a\nnoop\nleader\nreplica 2\nsnapshot 1\n",
		"cluster 1\r\nput a v\r\nget a\r",
		"# c\ncluster 2\n\tput \xff\x00 \\x\npartition 1\nput b c\nheal\nsnapshot 1\n",
		"cluster 1\n\x00\x1b]0;t\x07\n",
		"seed 18446744073709551616\n",
		"cluster 4\npartition 0 1\nget a\npartition 0\nget a\nleader\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkScript)
}

func TestFuzzOpsBudget(t *testing.T) {
	for in, want := range map[string]bool{
		"cluster 1\nops 250\nops 250\n":                    false,
		"cluster 1\nops 250\nops 251\n":                    true,
		"cluster 1\r\nops 501\r\n":                         true,
		"cluster 1\nops 18446744073709551615\nops 2\n":     true,
		"cluster 1\nops 0x1f5\n":                           true,
		"cluster 1\nops 99999999999999999999999\nops 10\n": false,
	} {
		if got := overBudget([]byte(in)); got != want {
			t.Errorf("overBudget(%q) = %t, want %t", in, got, want)
		}
	}
}

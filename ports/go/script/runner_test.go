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

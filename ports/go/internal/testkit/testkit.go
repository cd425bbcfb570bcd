// Package testkit is this port's test helpers in one place: the conformance vectors, the golden
// digests read from them, and snapshot bytes built from SPEC §4's table with the standard library
// alone. It imports nothing of db20, so every package's tests (internal ones included) can use it
// without an import cycle, and a snapshot it builds is an expectation independent of db20/wire.
// Only tests import it.
package testkit

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// Vectors is db20-conformance/vectors, the released suite, found from this file's own path so
// that it works from every package directory.
func Vectors() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "db20-conformance", "vectors")
}

// Vector is the bytes of vectors/name.
func Vector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Vectors(), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var digestLine = regexp.MustCompile(`^digest [0-9a-f]{16}$`)

// Golden is the golden digest of SPEC §7's scenario name ("a" or "b"), read from where it is
// written: the last line of vectors/scenario-NAME.out (Java: GoldenDigestsTest.golden).
func Golden(t testing.TB, name string) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(string(Vector(t, "scenario-"+name+".out")), "\n"), "\n")
	last := lines[len(lines)-1]
	if !digestLine.MatchString(last) {
		t.Fatalf("scenario-%s.out does not end in a digest line: %q", name, last)
	}
	return strings.TrimPrefix(last, "digest ")
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Snapshot is SPEC §4's snapshot of the key, value pairs in the order given (so a test can
// write them out of order) at commit, with a correct CRC-32C.
func Snapshot(commit uint64, pairs ...string) []byte {
	b := []byte("DB20")
	b = binary.LittleEndian.AppendUint16(b, 1) // version
	b = binary.LittleEndian.AppendUint16(b, 0) // flags
	b = binary.LittleEndian.AppendUint64(b, commit)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(pairs)/2))
	for _, p := range pairs {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return FixCrc(append(b, 0, 0, 0, 0))
}

// FixCrc sets b's last four bytes to the CRC-32C of the rest, so that a test can break one rule
// without also breaking the checksum.
func FixCrc(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
	return b
}

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"db20/script"
)

// Issue 20's first table against the program (Java: HostileFilesTest): hostile files for check
// and huge lines for run, each with its peak resident set size (the child's getrusage
// ru_maxrss) under maxPeakKB and a prompt exit. Big inputs come through a pipe, generated as
// they are written; only the sparse file is on disk.

const maxPeakKB = 256 * 1024

// huge is the length of the huge lines: past the 1 GiB where Java's line buffer used to overflow.
const huge = 1100 << 20

type measured struct {
	exit     int
	out, err string
	peakKB   int64
}

// measure runs the program as a child; feed (if not nil) writes its standard input.
func measure(t *testing.T, feed func(w io.Writer) error, args ...string) measured {
	t.Helper()
	cmd := asMain(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	var stdin io.WriteCloser
	if feed != nil {
		var err error
		if stdin, err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if feed != nil {
		go func() {
			feed(stdin) // a closed pipe (the program stopped reading) ends it
			stdin.Close()
		}()
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(180 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("db20 %v did not exit in 180 s", args)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return measured{cmd.ProcessState.ExitCode(), out.String(), errOut.String(), ru.Maxrss}
}

// line writes head, n bytes of fill, then tail.
func line(head string, n int64, fill byte, tail string) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, head); err != nil {
			return err
		}
		chunk := bytes.Repeat([]byte{fill}, 1<<16)
		for left := n; left > 0; left -= int64(len(chunk)) {
			if _, err := w.Write(chunk[:min(left, int64(len(chunk)))]); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, tail)
		return err
	}
}

func expect(t *testing.T, m measured, exit int, out, errOut string) {
	t.Helper()
	if m.exit != exit || m.out != out || m.err != errOut {
		t.Fatalf("exit %d out %q err %q; want %d %q %q", m.exit, m.out, m.err, exit, out, errOut)
	}
	if m.peakKB <= 0 || m.peakKB >= maxPeakKB {
		t.Fatalf("peak RSS %d kB, want 0 < it < %d", m.peakKB, maxPeakKB)
	}
}

func TestCheckOfDevZeroIsRefusedBeforeAByteIsRead(t *testing.T) {
	expect(t, measure(t, nil, "check", "/dev/zero"), 2, "", "error: cannot read /dev/zero: not a regular file\n")
}

func TestCheckOfAFifoIsRefusedWithoutOpeningIt(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, measure(t, nil, "check", fifo), 2, "", "error: cannot read "+script.EscapeToken([]byte(fifo))+": not a regular file\n")
}

func TestCheckOfA4GibSparseFileStopsAtTheFirstBadField(t *testing.T) {
	dir := t.TempDir()
	zeros := filepath.Join(dir, "zeros")
	if err := os.WriteFile(zeros, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(zeros, 4<<30); err != nil {
		t.Fatal(err)
	}
	expect(t, measure(t, nil, "check", zeros), 1, "refused offset 0: bad magic\n", "")
	// A good header and a count of 1000, then zeros: the first key length is 0.
	header := filepath.Join(dir, "header")
	if err := os.WriteFile(header, []byte{'D', 'B', '2', '0', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe8, 3, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(header, 4<<30); err != nil {
		t.Fatal(err)
	}
	expect(t, measure(t, nil, "check", header), 1, "refused offset 20: empty key\n", "")
}

func TestAHugeCommentLineThroughAPipeIsSkippedInBoundedMemory(t *testing.T) {
	expect(t, measure(t, line("cluster 1\n#", huge, 'c', "\nput a b\n"), "run", "-"), 0, "committed 1\n", "")
}

func TestGetOfAHugeKeyThroughAPipeIsMissingInBoundedMemory(t *testing.T) {
	expect(t, measure(t, line("cluster 1\nget ", huge, 'k', "\nnoop\n"), "run", "-"), 0, "missing\ncommitted 1\n", "")
}

func TestAHugeValueIsRefusedAsItPassesTheLimit(t *testing.T) {
	expect(t, measure(t, line("cluster 1\nput k ", huge, 'v', "\n"), "run", "-"), 2, "",
		"error line 2: value length exceeds the limit of 1048576 bytes\n")
}

func TestAHugeUnknownCommandIsCountedNotHeld(t *testing.T) {
	expect(t, measure(t, line("cluster 1\n", huge, 'x', "\n"), "run", "-"), 2, "",
		fmt.Sprintf("error line 2: unknown command '%s...(%d bytes)'\n", strings.Repeat("x", 64), huge))
}

// The suite's check vectors (db20-conformance/vectors/check-NAME.db20 and .check: the line
// and the exit status), each through the program's streaming reader. Vectors made from a
// recipe at run time have no .db20 file here; db20 conform runs those.
func TestTheCheckVectorsGiveEachFilesLine(t *testing.T) {
	checks, _ := filepath.Glob("../../../../db20-conformance/vectors/check-*.check")
	ran := 0
	for _, c := range checks {
		spec, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(spec), "\n"), "\n")
		if len(lines) < 2 || len(lines) > 3 {
			t.Fatalf("%s: %d lines", c, len(lines))
		}
		if len(lines) == 3 {
			continue // recipe
		}
		wantCode, err := strconv.Atoi(strings.TrimPrefix(lines[1], "exit "))
		if err != nil {
			t.Fatalf("%s: %q", c, lines[1])
		}
		f := strings.TrimSuffix(c, ".check") + ".db20"
		wantOut, wantErr := lines[0]+"\n", ""
		if wantCode == 2 {
			wantOut, wantErr = "", lines[0]+"\n"
		}
		if code, out, errOut := runArgs("", "check", f); code != wantCode || out != wantOut || errOut != wantErr {
			t.Fatalf("%s: exit %d %q %q, want %d %q %q", f, code, out, errOut, wantCode, wantOut, wantErr)
		}
		ran++
	}
	if ran < 20 {
		t.Fatalf("only %d check vectors", ran)
	}
}

// N18: any other failure is "read error" (here ENOTDIR: a path through a regular file).
func TestAnyOtherFailureToReadIsReadError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runArgs("", "check", file+"/x")
	if want := "error: cannot read " + script.EscapeToken([]byte(file+"/x")) + ": read error\n"; code != 2 || out != "" || errOut != want {
		t.Fatalf("exit %d out %q err %q, want %q", code, out, errOut, want)
	}
}

// Command db20 runs a script, db20 run FILE or db20 run - for standard input (SPEC §7), and
// checks a snapshot file with the strict reader, db20 check FILE (spec-notes N16).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"db20/script"
	"db20/wire"
)

func main() {
	// SPEC §7.6: a closed standard output is a write error (EPIPE) to report, not a SIGPIPE death.
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = "usage: db20 run FILE|-  |  db20 check FILE"

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 2 && args[0] == "run":
		return runScript(args[1], stdin, stdout, stderr)
	case len(args) == 2 && args[0] == "check":
		return check(args[1], stdout, stderr)
	}
	fmt.Fprintln(stderr, usage)
	return 2
}

func runScript(path string, stdin io.Reader, stdout, stderr io.Writer) int {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "error: cannot read %s: %s\n", script.EscapeToken([]byte(path)), reason(err))
			return 2
		}
		defer f.Close()
		in = f
	}
	// The runner buffers stdout itself and flushes it before returning, whatever happened.
	err := script.NewRunner(stdout).Run(in)
	var lineErr *script.Error
	var outErr *script.OutputError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &outErr):
		fmt.Fprintln(stderr, script.OutputErrorLine)
	case errors.As(err, &lineErr):
		fmt.Fprintln(stderr, lineErr.Error())
	default:
		fmt.Fprintf(stderr, "error: cannot read %s: %s\n", script.EscapeToken([]byte(path)), reason(err))
	}
	return 2
}

// check is spec-notes N16: the strict reader on a file, one line, exit 0 (ok), 1 (refused)
// or 2 (the file cannot be read, or the line cannot be written).
func check(path string, stdout, stderr io.Writer) int {
	summary, err := checkFile(path)
	var refusal *wire.SnapshotFormatError
	out := bufio.NewWriter(stdout)
	code := 0
	switch {
	case err == nil:
		fmt.Fprintf(out, "ok commit=%d entries=%d crc=%08x\n", summary.CommitIndex, summary.EntryCount, summary.Crc)
	case errors.As(err, &refusal):
		fmt.Fprintf(out, "refused offset %d: %s\n", refusal.Offset, refusal.Rule)
		code = 1
	default:
		fmt.Fprintf(stderr, "error: cannot read %s: %s\n", script.EscapeToken([]byte(path)), readReason(err))
		return 2
	}
	if out.Flush() != nil {
		fmt.Fprintln(stderr, script.OutputErrorLine)
		return 2
	}
	return code
}

// notRegular is a path that is a directory or another file that is not regular (N18).
type notRegular string

func (n notRegular) Error() string { return string(n) }

// checkFile is the strict reader's verdict on a regular file, read as a stream in bounded
// memory (N18). Anything else is refused from its attributes before it is opened: a FIFO is
// never opened (that would block), a device such as /dev/zero never read.
func checkFile(path string) (wire.SnapshotSummary, error) {
	info, err := os.Stat(path)
	if err != nil {
		return wire.SnapshotSummary{}, err
	}
	if info.IsDir() {
		return wire.SnapshotSummary{}, notRegular("is a directory")
	}
	if !info.Mode().IsRegular() {
		return wire.SnapshotSummary{}, notRegular("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return wire.SnapshotSummary{}, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return wire.SnapshotSummary{}, err
	}
	if !info.Mode().IsRegular() {
		return wire.SnapshotSummary{}, notRegular("not a regular file")
	}
	return wire.ValidateSnapshotStream(bufio.NewReaderSize(f, 1<<16), info.Size())
}

// readReason is N18's reason for a file that cannot be read: one of five fixed texts.
func readReason(err error) string {
	var n notRegular
	switch {
	case errors.As(err, &n):
		return string(n)
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return "read error"
}

// reason is an error's own words, without the path the caller already printed.
func reason(err error) string {
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}
	// Printable ASCII and spaces stand; any other byte is \xNN, as N12 writes it.
	var out []byte
	for _, b := range []byte(err.Error()) {
		if b >= 0x20 && b <= 0x7e && b != '\\' {
			out = append(out, b)
		} else {
			out = fmt.Appendf(out, "\\x%02x", b)
		}
	}
	return string(out)
}

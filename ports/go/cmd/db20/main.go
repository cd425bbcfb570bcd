// Command db20 runs a script, db20 run FILE or db20 run - for standard input (SPEC §7), and
// checks a snapshot file with the strict reader, db20 check FILE (spec-notes N16).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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
	data, err := readFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "error: cannot read %s: %s\n", script.EscapeToken([]byte(path)), reason(err))
		return 2
	}
	out := bufio.NewWriter(stdout)
	code := 0
	state, err := wire.LoadState(data)
	var refusal *wire.SnapshotFormatError
	switch {
	case err == nil:
		crc := wire.GetU32Le(data, len(data)-wire.SizeCrc)
		fmt.Fprintf(out, "ok commit=%d entries=%d crc=%08x\n", state.CommitIndex, len(state.Entries), crc)
	case errors.As(err, &refusal):
		fmt.Fprintf(out, "refused offset %d: %s\n", refusal.Offset, refusal.Rule)
		code = 1
	default:
		// LoadState refuses only with a SnapshotFormatError; anything else is a bug.
		panic(fmt.Sprintf("LoadState: %v", err))
	}
	if out.Flush() != nil {
		fmt.Fprintln(stderr, script.OutputErrorLine)
		return 2
	}
	return code
}

// readFile reads a whole file without trusting anything but what it reads: a regular file's
// buffer is its size (no more is allocated, and a file that changes size meanwhile is an
// error); anything else (a pipe, a device) is read as it comes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, errors.New("is a directory")
	}
	if !info.Mode().IsRegular() {
		return io.ReadAll(f)
	}
	size := info.Size()
	if size > int64(int(^uint(0)>>1)) {
		return nil, errors.New("file too large")
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("file shrank while reading: %w", err)
	}
	var one [1]byte
	if n, _ := f.Read(one[:]); n != 0 {
		return nil, errors.New("file grew while reading")
	}
	return data, nil
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

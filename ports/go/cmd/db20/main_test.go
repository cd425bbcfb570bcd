package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"db20/internal/testkit"
	"db20/wire"
)

// TestMain lets a test run this program as a child process: the re-executed test binary
// behaves as db20 itself when DB20_AS_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("DB20_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

var vectors = testkit.Vectors()

func runArgs(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Every conformance vector through the program: stdout byte for byte (empty when there is no
// .out), and for error vectors exit 2 with the whole first stderr line equal to .err's.
func TestEveryVector(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join(vectors, "*.txt"))
	sort.Strings(scripts)
	if len(scripts) < 57 {
		t.Fatalf("only %d vectors found under %s", len(scripts), vectors)
	}
	for _, s := range scripts {
		name := strings.TrimSuffix(filepath.Base(s), ".txt")
		t.Run(name, func(t *testing.T) {
			wantOut, err := os.ReadFile(filepath.Join(vectors, name+".out"))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			wantErr, err := os.ReadFile(filepath.Join(vectors, name+".err"))
			isError := err == nil
			if !isError && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			code, out, errOut := runArgs("", "run", s)
			if out != string(wantOut) {
				t.Fatalf("stdout:\n%q\nwant:\n%q", out, wantOut)
			}
			if !isError {
				if code != 0 || errOut != "" {
					t.Fatalf("exit %d, stderr %q", code, errOut)
				}
				return
			}
			firstLine := func(s string) string { return strings.SplitN(s, "\n", 2)[0] }
			if code != 2 || firstLine(errOut) != firstLine(string(wantErr)) {
				t.Fatalf("exit %d, stderr line %q, want exit 2 and %q", code, firstLine(errOut), firstLine(string(wantErr)))
			}
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	if code, out, _ := runArgs("cluster 1\nput a v\n", "run", "-"); code != 0 || out != "committed 1\n" {
		t.Fatalf("code %d out %q", code, out)
	}
	code, out, errOut := runArgs("cluster 1\nnoop\nbad\n", "run", "-")
	if code != 2 || out != "committed 1\n" || errOut != "error line 3: unknown command 'bad'\n" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
	if code, _, errOut := runArgs("", "frob"); code != 2 || errOut != usage+"\n" {
		t.Fatalf("bad args: code %d err %q", code, errOut)
	}
	if code, _, errOut := runArgs("", "run", "/no/such/file"); code != 2 || errOut != "error: cannot read /no/such/file: no such file or directory\n" {
		t.Fatalf("missing file: code %d err %q", code, errOut)
	}
}

// failWriter accepts limit bytes, then fails every write.
type failWriter struct {
	limit   int
	written bytes.Buffer
}

func (w *failWriter) Write(p []byte) (int, error) {
	if w.written.Len()+len(p) > w.limit {
		return 0, syscall.ENOSPC
	}
	return w.written.Write(p)
}

func TestOutputFailureIsTheN14LineAndExit2(t *testing.T) {
	for _, limit := range []int{0, 5} {
		var errOut bytes.Buffer
		w := &failWriter{limit: limit}
		code := run([]string{"run", "-"}, strings.NewReader("cluster 1\nput a v\nops 3\ndigest\n"), w, &errOut)
		if code != 2 || errOut.String() != "error: cannot write to standard output\n" {
			t.Fatalf("limit %d: exit %d, stderr %q", limit, code, errOut.String())
		}
	}
	// It wins over a bad line whose earlier output was lost.
	var errOut bytes.Buffer
	if code := run([]string{"run", "-"}, strings.NewReader("cluster 1\nnoop\nbad\n"), &failWriter{}, &errOut); code != 2 || errOut.String() != "error: cannot write to standard output\n" {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	// And check's one line fails the same way.
	path := writeTemp(t, wire.SnapshotState{}.Encode())
	errOut.Reset()
	if code := run([]string{"check", path}, nil, &failWriter{}, &errOut); code != 2 || errOut.String() != "error: cannot write to standard output\n" {
		t.Fatalf("check: exit %d, stderr %q", code, errOut.String())
	}
}

// recordingWriter keeps every Write call apart.
type recordingWriter struct{ writes []string }

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func TestOutputIsFlushedBeforeOps(t *testing.T) {
	w := &recordingWriter{}
	var errOut bytes.Buffer
	if code := run([]string{"run", "-"}, strings.NewReader("cluster 1\nput a v\nget a\nops 2\nleader\nops 1\n"), w, &errOut); code != 0 {
		t.Fatalf("exit %d %s", code, errOut.String())
	}
	want := []string{"committed 1\nvalue 76\n", "ops committed=2 rejected=0\nleader 0 view=0\n", "ops committed=1 rejected=0\n"}
	if strings.Join(w.writes, "|") != strings.Join(want, "|") {
		t.Fatalf("writes %q, want %q", w.writes, want)
	}
}

// asMain runs this test binary as db20 itself (see TestMain) with args.
func asMain(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "DB20_AS_MAIN=1")
	return cmd
}

func TestDevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	for _, script := range []string{"cluster 1\nput a v\n", "cluster 1\nops 10\n", "cluster 1\nnoop\nbad\n"} {
		cmd := asMain("run", "-")
		cmd.Stdin = strings.NewReader(script)
		cmd.Stdout = full
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || errOut.String() != "error: cannot write to standard output\n" {
			t.Fatalf("%q: %v, stderr %q", script, err, errOut.String())
		}
	}
}

// A normal exit loses nothing: more output than any buffer, through a pipe, all of it there.
func TestNothingLostOnNormalExit(t *testing.T) {
	var script strings.Builder
	var want strings.Builder
	script.WriteString("cluster 1\n")
	for i := 1; i <= 20000; i++ {
		script.WriteString("noop\n")
		want.WriteString("committed " + strconv.Itoa(i) + "\n")
	}
	cmd := asMain("run", "-")
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.Output()
	if err != nil || string(out) != want.String() {
		t.Fatalf("err %v, %d bytes of %d", err, len(out), want.Len())
	}
}

// N15: a long ops stopped by SIGTERM leaves the output of every earlier line.
func TestSignalDuringOpsKeepsEarlierOutput(t *testing.T) {
	cmd := asMain("run", "-")
	cmd.Stdin = strings.NewReader("cluster 3\nput a v\nget a\nops 18446744073709551615\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	timeout := time.After(20 * time.Second)
	for len(got) < 2 {
		select {
		case l := <-lines:
			got = append(got, l)
		case <-timeout:
			cmd.Process.Kill()
			t.Fatalf("no output before ops after 20 s: %q", got)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	for l := range lines {
		got = append(got, l)
	}
	err = cmd.Wait()
	if strings.Join(got, "|") != "committed 1|value 76" || err == nil {
		t.Fatalf("lines %q, wait %v", got, err)
	}
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "snap.bin")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkBytes(t *testing.T, b []byte) (int, string) {
	t.Helper()
	code, out, errOut := runArgs("", "check", writeTemp(t, b))
	if errOut != "" {
		t.Fatalf("stderr %q", errOut)
	}
	return code, out
}

var snap, fixCrc = testkit.Snapshot, testkit.FixCrc

func TestCheckOk(t *testing.T) {
	if code, out := checkBytes(t, wire.SnapshotState{}.Encode()); code != 0 || out != "ok commit=0 entries=0 crc=f89a2371\n" {
		t.Fatalf("empty: %d %q", code, out)
	}
	// SPEC §4's second vector: stored bytes fdcf62bd are the u32 bd62cffd.
	if code, out := checkBytes(t, snap(1, "a", "v")); code != 0 || out != "ok commit=1 entries=1 crc=bd62cffd\n" {
		t.Fatalf("one entry: %d %q", code, out)
	}
	if code, out := checkBytes(t, snap(0xffffffffffffffff, "a", "", "b", "2", "c", "3")); code != 0 || !strings.HasPrefix(out, "ok commit=18446744073709551615 entries=3 crc=") {
		t.Fatalf("three entries: %d %q", code, out)
	}
}

// One test per rule: the exact line and exit status 1.
func TestCheckRefusesEveryRule(t *testing.T) {
	two := snap(7, "a", "1", "b", "2") // entries at 20 (a) and 30 (b); CRC at 40
	mut := func(b []byte, f func([]byte) []byte) []byte { return f(append([]byte(nil), b...)) }
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"bad magic", mut(two, func(b []byte) []byte { b[0] = 'X'; return b }), "refused offset 0: bad magic"},
		{"unknown version", mut(two, func(b []byte) []byte { b[4] = 2; return fixCrc(b) }), "refused offset 4: unknown version"},
		{"nonzero flags", mut(two, func(b []byte) []byte { b[6] = 1; return fixCrc(b) }), "refused offset 6: nonzero flags"},
		{"truncated", two[:18], "refused offset 16: truncated"},
		{"truncated before the crc", two[:42], "refused offset 40: truncated"},
		{"count past end", two[:41], "refused offset 16: length past end"},
		{"length past end", mut(two, func(b []byte) []byte { wire.PutU32Le(b, 16, 1000); return fixCrc(b) }), "refused offset 16: length past end"},
		{"empty key", mut(snap(1, "a", "1"), func(b []byte) []byte { wire.PutU32Le(b, 20, 0); return fixCrc(b) }), "refused offset 20: empty key"},
		{"key too long", mut(snap(1, "a", "1"), func(b []byte) []byte { wire.PutU32Le(b, 20, 65536); return fixCrc(b) }), "refused offset 20: key too long"},
		{"value too long", mut(snap(1, "a", "1"), func(b []byte) []byte { wire.PutU32Le(b, 25, 1048577); return fixCrc(b) }), "refused offset 25: value too long"},
		{"keys out of order", mut(two, func(b []byte) []byte { b[24], b[34] = 'b', 'a'; return fixCrc(b) }), "refused offset 30: keys out of order"},
		{"duplicate key", mut(two, func(b []byte) []byte { b[34] = 'a'; return fixCrc(b) }), "refused offset 30: duplicate key"},
		{"trailing bytes", append(append([]byte(nil), two...), 0), "refused offset 44: trailing bytes"},
		{"crc mismatch", mut(two, func(b []byte) []byte { b[29] = '9'; return b }), "refused offset 40: crc mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, out := checkBytes(t, c.file); code != 1 || out != c.want+"\n" {
				t.Fatalf("exit %d %q, want 1 %q", code, out, c.want)
			}
		})
	}
}

func TestCheckUnreadableFileIsExit2(t *testing.T) {
	code, out, errOut := runArgs("", "check", "/no/such/snap")
	if code != 2 || out != "" || errOut != "error: cannot read /no/such/snap: no such file\n" {
		t.Fatalf("exit %d out %q err %q", code, out, errOut)
	}
	dir := t.TempDir()
	if code, _, errOut := runArgs("", "check", dir); code != 2 || errOut != "error: cannot read "+dir+": is a directory\n" {
		t.Fatalf("directory: exit %d err %q", code, errOut)
	}
	// The name is escaped as N12 says: no raw control byte reaches the terminal.
	code, _, errOut = runArgs("", "check", "/no/such/\x1b[31m")
	if code != 2 || errOut != "error: cannot read /no/such/\\x1b[31m: no such file\n" {
		t.Fatalf("exit %d err %q", code, errOut)
	}
}

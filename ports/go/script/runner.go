// Package script is the script language of SPEC §7 (Java: ScriptRunner), with the readings of
// docs/spec-notes.md N1–N17. It reads a line at a time and writes through a buffer.
package script

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"

	"db20/core"
	"db20/wire"
	"db20/workload"
)

// Error is a bad line: the run stops; the program prints it and exits 2. Message never holds
// a raw input byte: tokens are quoted through EscapeToken (spec-notes N12).
type Error struct {
	Line    uint64
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("error line %d: %s", e.Line, e.Message) }

// OutputError is a failed write or flush of the output (spec-notes N14): the run stops at
// once; the program prints OutputErrorLine and exits 2.
type OutputError struct{ Err error }

// OutputErrorLine is the whole stderr line of spec-notes N14.
const OutputErrorLine = "error: cannot write to standard output"

func (e *OutputError) Error() string { return OutputErrorLine + ": " + e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// MaxQuotedToken is where EscapeToken cuts a token (spec-notes N12).
const MaxQuotedToken = 64

// EscapeToken is a token as an error line quotes it (spec-notes N12): bytes 0x21–0x7e stand
// as themselves except \, written \\; every other byte is \xNN; past 64 bytes the token is
// cut and its full length follows as ...(N bytes).
func EscapeToken(t []byte) string {
	cut := t
	if len(t) > MaxQuotedToken {
		cut = t[:MaxQuotedToken]
	}
	out := make([]byte, 0, len(cut)+16)
	for _, b := range cut {
		switch {
		case b == '\\':
			out = append(out, '\\', '\\')
		case b >= 0x21 && b <= 0x7e:
			out = append(out, b)
		default:
			out = append(out, '\\', 'x', hexDigits[b>>4], hexDigits[b&0xf])
		}
	}
	if len(t) > MaxQuotedToken {
		out = fmt.Appendf(out, "...(%d bytes)", len(t))
	}
	return string(out)
}

const hexDigits = "0123456789abcdef"

// stickyWriter remembers the first error of the writer below it, so that the runner can stop
// after the line that failed to write (bufio.Writer reports it only on a later write).
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	s.err = err
	return n, err
}

// Runner interprets scripts (Java: ScriptRunner).
type Runner struct {
	sink     *stickyWriter
	out      *bufio.Writer
	workload *workload.Workload
	cluster  *core.Cluster // nil until the first `cluster` line
	lineNo   uint64
	// The current line: its command word and the arguments its command uses (N17's bounds).
	word   []byte
	args   [2][]byte
	argLen [2]int64
	argc   int64
	// partition's ids, folded as they are read: the set and the first id out of range.
	partitionIDs [core.MaxSize]bool
	firstBadID   uint64
	anyBadID     bool
}

func NewRunner(out io.Writer) *Runner {
	sink := &stickyWriter{w: out}
	return &Runner{sink: sink, out: bufio.NewWriterSize(sink, 1<<16), workload: workload.NewWorkload(0, workload.DefaultKeySpace)}
}

// outputError is the write error seen so far, if any.
func (r *Runner) outputError() error {
	if r.sink.err != nil {
		return &OutputError{Err: r.sink.err}
	}
	return nil
}

// flush writes out what is buffered (spec-notes N15) and reports a failed write.
func (r *Runner) flush() error {
	if err := r.out.Flush(); err != nil {
		return &OutputError{Err: err}
	}
	return r.outputError()
}

// Cluster is the cluster the script built, nil before its first `cluster` line.
func (r *Runner) Cluster() *core.Cluster { return r.cluster }

// Tokenize splits on spaces and tabs only (spec-notes N1).
func Tokenize(line []byte) [][]byte {
	return bytes.FieldsFunc(line, func(c rune) bool { return c == ' ' || c == '\t' })
}

// ParseU64 accepts decimal digits, or 0x and hex digits of either case, up to 2^64 − 1.
func ParseU64(t []byte) (uint64, bool) {
	digits, base := t, 10
	if len(t) > 2 && t[0] == '0' && t[1] == 'x' {
		digits, base = t[2:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		isDec := c >= '0' && c <= '9'
		isHex := (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
		if !isDec && !(base == 16 && isHex) {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(string(digits), base, 64)
	return v, err == nil
}

// Run runs the script to its end or its first bad line; output is flushed either way. The
// error is nil, an *Error (a bad line), an *OutputError (spec-notes N14: it wins over a bad
// line, since the output before the bad line was lost), or the input's read error.
func (r *Runner) Run(in io.Reader) error {
	reader := bufio.NewReaderSize(in, 1<<16)
	err := r.run(reader)
	if ferr := r.flush(); ferr != nil {
		return ferr
	}
	return err
}

func (r *Runner) run(reader *bufio.Reader) error {
	t := newTokenReader(reader)
	for {
		more, err := t.nextLine()
		if err != nil || !more {
			return err
		}
		r.lineNo++
		n, err := t.token(&r.word, MaxWordLen, noLimit)
		if err != nil {
			return err
		}
		if n == endOfLine {
			continue
		}
		if r.word[0] == '#' {
			if err := t.skipLine(); err != nil {
				return err
			}
			continue
		}
		if xerr := r.execute(t, r.word, n); xerr != nil {
			return xerr
		}
		if oerr := r.outputError(); oerr != nil {
			return oerr
		}
	}
}

// readArgs reads the rest of the line as command's arguments, each within its bound (N17):
// the key of put and del is refused past 65,535 bytes and the value of put past 1 MiB as soon
// as the bound is passed; the key of get is kept to 65,536 bytes (a longer key is missing
// whatever follows); a number is kept to 64 bytes; arguments past the arity are only counted;
// partition's ids are folded into a set as they come.
func (r *Runner) readArgs(t *tokenReader, command string, arity int) error {
	r.argc = 0
	r.anyBadID = false
	r.partitionIDs = [core.MaxSize]bool{}
	var skipped []byte
	for {
		slot := -1
		if r.argc < int64(arity) && r.argc < 2 {
			slot = int(r.argc)
		}
		into, keep, limit := &skipped, 0, noLimit
		switch {
		case command == "partition":
			into, keep = &r.args[0], MaxWordLen
		case slot < 0:
		case (command == "put" || command == "del") && slot == 0:
			into, keep, limit = &r.args[0], wire.MaxKeyLen, wire.MaxKeyLen
		case command == "put" && slot == 1:
			into, keep, limit = &r.args[1], wire.MaxValueLen, wire.MaxValueLen
		case command == "get":
			into, keep = &r.args[0], wire.MaxKeyLen+1
		default:
			into, keep = &r.args[slot], MaxWordLen
		}
		n, err := t.token(into, keep, limit)
		if err != nil {
			return err
		}
		switch n {
		case endOfLine:
			return nil
		case overLimit:
			if slot == 0 {
				return r.fail("key length exceeds the limit of %d bytes", wire.MaxKeyLen)
			}
			return r.fail("value length exceeds the limit of %d bytes", wire.MaxValueLen)
		}
		r.argc++
		if command == "partition" {
			// Arity never fails for partition: the first bad number is the line's error.
			id, err := r.number(r.args[0], n)
			if err != nil {
				return err
			}
			if r.cluster != nil {
				if id >= uint64(r.cluster.Size()) {
					if !r.anyBadID {
						r.anyBadID, r.firstBadID = true, id
					}
				} else {
					r.partitionIDs[id] = true
				}
			}
		} else if slot >= 0 {
			r.argLen[slot] = n
		}
	}
}

func (r *Runner) fail(format string, args ...any) error {
	return &Error{Line: r.lineNo, Message: fmt.Sprintf(format, args...)}
}

func (r *Runner) arity(command string, expected int) error {
	if r.argc != int64(expected) {
		noun := "arguments"
		if expected == 1 {
			noun = "argument"
		}
		return r.fail("'%s' expects %d %s, got %d", command, expected, noun, r.argc)
	}
	return nil
}

// number parses a number token of full length full, kept in t: over 64 bytes it is invalid
// (N17).
func (r *Runner) number(t []byte, full int64) (uint64, error) {
	v, ok := ParseU64(t)
	if !ok || full > MaxWordLen {
		return 0, r.fail("invalid number '%s' (want decimal or 0x hex, at most 2^64-1)", escapeKept(t, full))
	}
	return v, nil
}

func (r *Runner) needCluster(command string) error {
	if r.cluster == nil {
		return r.fail("'%s' before the first 'cluster'", command)
	}
	return nil
}

func (r *Runner) id(raw uint64) (int, error) {
	if err := r.cluster.CheckID(raw); err != nil {
		return 0, r.fail("%s", err)
	}
	return int(raw), nil
}

func (r *Runner) printPropose(p core.ProposeResult) {
	if p.Committed {
		fmt.Fprintf(r.out, "committed %d\n", p.Index)
	} else {
		r.out.WriteString("rejected\n")
	}
}

// command is one command of SPEC §7 (Java: ScriptRunner.Command).
type command int

const (
	cmdCluster command = iota
	cmdSeed
	cmdKeys
	cmdOps
	cmdPut
	cmdDel
	cmdNoop
	cmdGet
	cmdPartition
	cmdHeal
	cmdLeader
	cmdReplica
	cmdSnapshot
	cmdDigest
)

// commandSpec is one row of commands: a command's name, how many arguments it takes (-1: any
// number), whether they are all numbers, and whether it needs a cluster.
type commandSpec struct {
	command      command
	name         string
	arity        int
	numericArgs  bool
	needsCluster bool
}

// commands is every command of SPEC §7 in one table (Java: ScriptRunner.Command). The checks
// of spec-notes N3 run from this table in its order: unknown command, arity, numbers, cluster.
var commands = [...]commandSpec{
	{cmdCluster, "cluster", 1, true, false},
	{cmdSeed, "seed", 1, true, false},
	{cmdKeys, "keys", 1, true, false},
	{cmdOps, "ops", 1, true, true},
	{cmdPut, "put", 2, false, true},
	{cmdDel, "del", 1, false, true},
	{cmdNoop, "noop", 0, false, true},
	{cmdGet, "get", 1, false, true},
	{cmdPartition, "partition", -1, true, true},
	{cmdHeal, "heal", 0, false, true},
	{cmdLeader, "leader", 0, false, true},
	{cmdReplica, "replica", 1, true, true},
	{cmdSnapshot, "snapshot", 1, true, true},
	{cmdDigest, "digest", 0, false, true},
}

// lookupCommand is the row of the command spelled by name, or nil. Commands are compared as
// bytes (N11); the comparison converts nothing.
func lookupCommand(name []byte) *commandSpec {
	for i := range commands {
		if string(name) == commands[i].name {
			return &commands[i]
		}
	}
	return nil
}

func (r *Runner) execute(t *tokenReader, name []byte, nameLen int64) error {
	var spec *commandSpec
	if nameLen <= MaxWordLen {
		spec = lookupCommand(name)
	}
	if spec == nil {
		return r.fail("unknown command '%s'", escapeKept(name, nameLen))
	}
	command := spec.name
	if err := r.readArgs(t, command, spec.arity); err != nil {
		return err
	}
	if spec.arity >= 0 {
		if err := r.arity(command, spec.arity); err != nil {
			return err
		}
	}
	var n [2]uint64
	if spec.numericArgs && spec.command != cmdPartition {
		for i := 0; i < spec.arity; i++ {
			v, err := r.number(r.args[i], r.argLen[i])
			if err != nil {
				return err
			}
			n[i] = v
		}
	}
	if spec.needsCluster {
		if err := r.needCluster(command); err != nil {
			return err
		}
	}
	switch spec.command {
	case cmdCluster:
		if n[0] < core.MinSize || n[0] > core.MaxSize {
			return r.fail("cluster size %d out of range %d..%d", n[0], core.MinSize, core.MaxSize)
		}
		r.cluster, _ = core.NewCluster(int(n[0]))
	case cmdSeed:
		r.workload.SetSeed(n[0])
	case cmdKeys:
		if n[0] == 0 {
			return r.fail("key space 0 out of range (must be >= 1)")
		}
		r.workload.SetKeySpace(n[0])
	case cmdOps:
		if err := r.flush(); err != nil {
			return err
		}
		var committed, rejected uint64
		for i := uint64(0); i < n[0]; i++ {
			if r.cluster.Propose(r.workload.NextOp()).Committed {
				committed++
			} else {
				rejected++
			}
		}
		fmt.Fprintf(r.out, "ops committed=%d rejected=%d\n", committed, rejected)
	case cmdPut, cmdDel, cmdNoop:
		op := core.NoOpOp
		var err error
		// The bounds were checked as the key and value were read (N17).
		switch spec.command {
		case cmdPut:
			op, err = core.NewPut(r.args[0], r.args[1])
		case cmdDel:
			op, err = core.NewDel(r.args[0])
		}
		if err != nil {
			return r.fail("%s", err)
		}
		r.printPropose(r.cluster.Propose(op))
	case cmdGet:
		// N10, N17: an overlong key is missing; its first 65,536 bytes stand for it.
		switch res := r.cluster.Read(r.args[0]); res.Status {
		case core.ReadValue:
			r.out.WriteString("value ")
			r.writeHex(res.Value)
			r.out.WriteByte('\n')
		case core.ReadMissing:
			r.out.WriteString("missing\n")
		default:
			r.out.WriteString("rejected\n")
		}
	case cmdPartition:
		if r.anyBadID {
			if _, err := r.id(r.firstBadID); err != nil {
				return err
			}
		}
		ids := make([]uint64, 0, core.MaxSize)
		for id, in := range r.partitionIDs {
			if in {
				ids = append(ids, uint64(id))
			}
		}
		if err := r.cluster.Partition(ids); err != nil {
			return r.fail("%s", err)
		}
	case cmdHeal:
		r.cluster.Heal()
	case cmdLeader:
		fmt.Fprintf(r.out, "leader %d view=%d\n", r.cluster.Leader(), r.cluster.View())
	case cmdDigest:
		r.out.WriteString("digest " + wire.DigestHex(r.cluster.Digest()) + "\n")
	case cmdReplica, cmdSnapshot:
		id, err := r.id(n[0])
		if err != nil {
			return err
		}
		rep := r.cluster.Replica(id)
		if spec.command == cmdReplica {
			fmt.Fprintf(r.out, "replica %d commit=%d keys=%d partitioned=%t\n", id, rep.CommitIndex(), rep.KeyCount(), r.cluster.IsPartitioned(id))
		} else {
			fmt.Fprintf(r.out, "snapshot %d ", id)
			r.writeHex(rep.DumpState())
			r.out.WriteByte('\n')
		}
	}
	return nil
}

// writeHex writes wire.Hex(b) without building the whole string: a snapshot can be large.
func (r *Runner) writeHex(b []byte) {
	if len(b) == 0 {
		r.out.WriteByte('-')
		return
	}
	var chunk [512]byte
	for len(b) > 0 {
		n := min(len(b), len(chunk)/2)
		for i, x := range b[:n] {
			chunk[2*i] = hexDigits[x>>4]
			chunk[2*i+1] = hexDigits[x&0xf]
		}
		r.out.Write(chunk[:2*n])
		b = b[n:]
	}
}

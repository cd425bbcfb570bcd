// Package script is the script language of SPEC §7 (Java: ScriptRunner), with the readings of
// docs/spec-notes.md N1–N11. It reads a line at a time and writes through a buffer.
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

// Error is a bad line: the run stops; the program prints it and exits 2.
type Error struct {
	Line    uint64
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("error line %d: %s", e.Line, e.Message) }

// Runner interprets scripts (Java: ScriptRunner).
type Runner struct {
	out      *bufio.Writer
	workload *workload.Workload
	cluster  *core.Cluster // nil until the first `cluster` line
	lineNo   uint64
}

func NewRunner(out io.Writer) *Runner {
	return &Runner{out: bufio.NewWriterSize(out, 1<<16), workload: workload.NewWorkload(0, workload.DefaultKeySpace)}
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

// Run runs the script to its end or its first bad line; output is flushed either way.
func (r *Runner) Run(in io.Reader) error {
	reader := bufio.NewReaderSize(in, 1<<16)
	err := r.run(reader)
	if ferr := r.out.Flush(); err == nil {
		err = ferr
	}
	return err
}

func (r *Runner) run(reader *bufio.Reader) error {
	for {
		line, err := reader.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		r.lineNo++
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		tokens := Tokenize(line)
		if len(tokens) > 0 && tokens[0][0] != '#' {
			if xerr := r.execute(string(tokens[0]), tokens[1:]); xerr != nil {
				return xerr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func (r *Runner) fail(format string, args ...any) error {
	return &Error{Line: r.lineNo, Message: fmt.Sprintf(format, args...)}
}

func (r *Runner) arity(command string, args [][]byte, expected int) error {
	if len(args) != expected {
		noun := "arguments"
		if expected == 1 {
			noun = "argument"
		}
		return r.fail("'%s' expects %d %s, got %d", command, expected, noun, len(args))
	}
	return nil
}

func (r *Runner) number(t []byte) (uint64, error) {
	v, ok := ParseU64(t)
	if !ok {
		return 0, r.fail("invalid number '%s' (want decimal or 0x hex, at most 2^64-1)", t)
	}
	return v, nil
}

func (r *Runner) oneNumber(command string, args [][]byte) (uint64, error) {
	if err := r.arity(command, args, 1); err != nil {
		return 0, err
	}
	return r.number(args[0])
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

func (r *Runner) execute(command string, args [][]byte) error {
	switch command {
	case "cluster":
		n, err := r.oneNumber(command, args)
		if err != nil {
			return err
		}
		if n < core.MinSize || n > core.MaxSize {
			return r.fail("cluster size %d out of range %d..%d", n, core.MinSize, core.MaxSize)
		}
		r.cluster, _ = core.NewCluster(int(n))
	case "seed":
		s, err := r.oneNumber(command, args)
		if err != nil {
			return err
		}
		r.workload.SetSeed(s)
	case "keys":
		k, err := r.oneNumber(command, args)
		if err != nil {
			return err
		}
		if k == 0 {
			return r.fail("key space 0 out of range (must be >= 1)")
		}
		r.workload.SetKeySpace(k)
	case "ops":
		m, err := r.oneNumber(command, args)
		if err != nil {
			return err
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		var committed, rejected uint64
		for i := uint64(0); i < m; i++ {
			if r.cluster.Propose(r.workload.NextOp()).Committed {
				committed++
			} else {
				rejected++
			}
		}
		fmt.Fprintf(r.out, "ops committed=%d rejected=%d\n", committed, rejected)
	case "put", "del", "noop":
		want := map[string]int{"put": 2, "del": 1, "noop": 0}[command]
		if err := r.arity(command, args, want); err != nil {
			return err
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		op := core.NoOpOp
		var err error
		switch command {
		case "put":
			op, err = core.NewPut(args[0], args[1])
		case "del":
			op, err = core.NewDel(args[0])
		}
		if err != nil {
			return r.fail("%s", err)
		}
		r.printPropose(r.cluster.Propose(op))
	case "get":
		if err := r.arity(command, args, 1); err != nil {
			return err
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		switch res := r.cluster.Read(args[0]); res.Status {
		case core.ReadValue:
			r.out.WriteString("value " + wire.Hex(res.Value) + "\n")
		case core.ReadMissing:
			r.out.WriteString("missing\n")
		default:
			r.out.WriteString("rejected\n")
		}
	case "partition":
		ids := make([]uint64, 0, len(args))
		for _, a := range args {
			v, err := r.number(a)
			if err != nil {
				return err
			}
			ids = append(ids, v)
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := r.id(id); err != nil {
				return err
			}
		}
		if err := r.cluster.Partition(ids); err != nil {
			return r.fail("%s", err)
		}
	case "heal", "leader", "digest":
		if err := r.arity(command, args, 0); err != nil {
			return err
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		switch command {
		case "heal":
			r.cluster.Heal()
		case "leader":
			fmt.Fprintf(r.out, "leader %d view=%d\n", r.cluster.Leader(), r.cluster.View())
		case "digest":
			r.out.WriteString("digest " + wire.DigestHex(r.cluster.Digest()) + "\n")
		}
	case "replica", "snapshot":
		raw, err := r.oneNumber(command, args)
		if err != nil {
			return err
		}
		if err := r.needCluster(command); err != nil {
			return err
		}
		id, err := r.id(raw)
		if err != nil {
			return err
		}
		rep := r.cluster.Replica(id)
		if command == "replica" {
			fmt.Fprintf(r.out, "replica %d commit=%d keys=%d partitioned=%t\n", id, rep.CommitIndex(), rep.KeyCount(), r.cluster.IsPartitioned(id))
		} else {
			r.out.WriteString(fmt.Sprintf("snapshot %d ", id) + wire.Hex(rep.DumpState()) + "\n")
		}
	default:
		return r.fail("unknown command '%s'", command)
	}
	return nil
}

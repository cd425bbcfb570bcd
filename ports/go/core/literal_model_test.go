package core

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"db20/wire"
)

// literal is SPEC §2–3 as written (Java: LiteralModelTest.Literal): replicas with logs and
// state machines, a partitioned set, a view. It catches a replica up by copying the missing
// entries and applying them, and heals with truncate_and_replay (clear, copy the log, replay
// it): none of the model's shared versions, frozen copies or cached flags.
type literal struct {
	logs        [][]Op
	sms         []map[string]string
	partitioned []bool
	view        uint64
}

func newLiteral(n int) *literal {
	l := &literal{logs: make([][]Op, n), sms: make([]map[string]string, n), partitioned: make([]bool, n)}
	for i := range l.sms {
		l.sms[i] = map[string]string{}
	}
	return l
}

func (l *literal) n() int      { return len(l.partitioned) }
func (l *literal) leader() int { return int(l.view % uint64(l.n())) }

func (l *literal) quorum() bool {
	reachable := 0
	for _, p := range l.partitioned {
		if !p {
			reachable++
		}
	}
	return reachable >= l.n()/2+1
}

func literalApply(sm map[string]string, op Op) {
	switch op.kind {
	case Put:
		sm[op.key] = op.value
	case Del:
		delete(sm, op.key)
	}
}

// catchUp appends the entries to lacks from from's log and applies them.
func (l *literal) catchUp(to, from int) {
	for i := len(l.logs[to]); i < len(l.logs[from]); i++ {
		l.logs[to] = append(l.logs[to], l.logs[from][i])
		literalApply(l.sms[to], l.logs[from][i])
	}
}

func (l *literal) leaderCheck() bool {
	if !l.partitioned[l.leader()] {
		return true
	}
	if !l.quorum() {
		return false
	}
	for {
		l.view++
		if !l.partitioned[l.leader()] {
			break
		}
	}
	best := -1
	for id := range l.logs {
		if !l.partitioned[id] && (best < 0 || len(l.logs[id]) > len(l.logs[best])) {
			best = id
		}
	}
	l.catchUp(l.leader(), best)
	return true
}

func (l *literal) propose(op Op) ProposeResult {
	if !l.leaderCheck() || !l.quorum() {
		return ProposeResult{}
	}
	for id := range l.logs {
		if !l.partitioned[id] {
			l.catchUp(id, l.leader())
		}
	}
	for id := range l.logs {
		if !l.partitioned[id] {
			l.logs[id] = append(l.logs[id], op)
			literalApply(l.sms[id], op)
		}
	}
	return ProposeResult{Committed: true, Index: uint64(len(l.logs[l.leader()]))}
}

func (l *literal) read(key string) ReadResult {
	if !l.leaderCheck() || !l.quorum() {
		return ReadResult{Status: ReadRejected}
	}
	if v, ok := l.sms[l.leader()][key]; ok {
		return ReadResult{Status: ReadValue, Value: []byte(v)}
	}
	return ReadResult{Status: ReadMissing}
}

func (l *literal) partition(ids []uint64) {
	clear(l.partitioned)
	for _, id := range ids {
		l.partitioned[id] = true
	}
}

// heal clears the set; every replica whose commit differs truncates and replays the leader's
// log.
func (l *literal) heal() {
	clear(l.partitioned)
	source := l.logs[l.leader()]
	for id := range l.logs {
		if len(l.logs[id]) != len(source) {
			l.logs[id] = append([]Op(nil), source...)
			sm := map[string]string{}
			for _, op := range source {
				literalApply(sm, op)
			}
			l.sms[id] = sm
		}
	}
}

func (l *literal) snapshot(id int) []byte {
	keys := make([]string, 0, len(l.sms[id]))
	payload := 0
	for k, v := range l.sms[id] {
		keys = append(keys, k)
		payload += 2*wire.SizeLengthPrefix + len(k) + len(v)
	}
	sort.Strings(keys)
	entries := make([]wire.StringEntry, len(keys))
	for i, k := range keys {
		entries[i] = wire.StringEntry{Key: k, Value: l.sms[id][k]}
	}
	return wire.EncodeSnapshotStrings(uint64(len(l.logs[id])), entries, payload)
}

// literalSchedules is 3,000, or DB20_LITERAL_SCHEDULES (Java: -Ddb20.literal.schedules).
func literalSchedules(t *testing.T) uint64 {
	s := os.Getenv("DB20_LITERAL_SCHEDULES")
	if s == "" {
		return 3000
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("DB20_LITERAL_SCHEDULES=%q: %v", s, err)
	}
	return n
}

// The model against SPEC §2–3 read literally, step by step (Java: LiteralModelTest). Random
// schedules of puts, deletes, no-ops, reads, partitions of any subset (invalid ids included)
// and heals drive both; after every step every result, every replica's commit index and
// snapshot bytes, the view and the leader must agree, and Cluster.check must pass. The same
// test exists in every port (ports/README.md).
func TestEveryStepAgreesWithSpecSectionsTwoAndThreeReadLiterally(t *testing.T) {
	schedules := literalSchedules(t)
	seeds := rng(0xdb201173)
	var commits, rejections, viewChanges uint64
	for s := uint64(0); s < schedules; s++ {
		seed := seeds.next()
		r := rng(seed)
		n := 1 + int(r.next()%7)
		model, _ := NewCluster(n)
		lit := newLiteral(n)
		var steps []string
		fail := func(format string, args ...any) {
			t.Fatalf("schedule %d (seed %d, %d replicas) after [%s]: %s", s, seed, n,
				strings.Join(steps, ", "), fmt.Sprintf(format, args...))
		}
		for step := 0; step < 40; step++ {
			what := r.next() % 10
			key := fmt.Sprintf("k%d", r.next()%4)
			switch {
			case what < 4:
				var op Op
				switch what {
				case 0, 1:
					op, _ = NewPutString(key, fmt.Sprintf("v%d", step))
				case 2:
					op, _ = NewDelString(key)
				default:
					op = NoOpOp
				}
				steps = append(steps, "propose "+op.String())
				viewBefore := lit.view
				want := lit.propose(op)
				if got := model.Propose(op); got != want {
					fail("propose %+v, want %+v", got, want)
				}
				if want.Committed {
					commits++
				} else {
					rejections++
				}
				if lit.view != viewBefore {
					viewChanges++
				}
			case what < 6:
				steps = append(steps, "read "+key)
				want, got := lit.read(key), model.Read([]byte(key))
				if got.Status != want.Status || !bytes.Equal(got.Value, want.Value) {
					fail("read %+v, want %+v", got, want)
				}
			case what < 9:
				count := r.next() % uint64(n+1)
				bound := uint64(n)
				if r.next()%10 == 0 {
					bound = uint64(n + 2)
				}
				ids := make([]uint64, count)
				invalid := false
				for i := range ids {
					ids[i] = r.next() % bound
					invalid = invalid || ids[i] >= uint64(n)
				}
				steps = append(steps, fmt.Sprintf("partition %v", ids))
				if err := model.Partition(ids); invalid != (err != nil) {
					fail("partition %v: error %v", ids, err)
				}
				if !invalid {
					lit.partition(ids)
				}
			default:
				steps = append(steps, "heal")
				lit.heal()
				model.Heal()
			}
			if err := model.check(); err != nil {
				fail("check: %v", err)
			}
			if model.View() != lit.view || model.Leader() != lit.leader() {
				fail("view %d leader %d, want %d and %d", model.View(), model.Leader(), lit.view, lit.leader())
			}
			for id := 0; id < n; id++ {
				if got, want := model.Replica(id).CommitIndex(), uint64(len(lit.logs[id])); got != want {
					fail("replica %d commit %d, want %d", id, got, want)
				}
				if model.IsPartitioned(id) != lit.partitioned[id] {
					fail("replica %d partitioned %t", id, model.IsPartitioned(id))
				}
				if got, want := model.Replica(id).DumpState(), lit.snapshot(id); !bytes.Equal(got, want) {
					fail("replica %d snapshot\n%s, want\n%s", id, wire.Hex(got), wire.Hex(want))
				}
			}
		}
	}
	// The schedules must reach the interesting cases, or agreement proves little.
	if commits <= schedules*5 || rejections <= schedules/5 || viewChanges <= schedules/10 {
		t.Fatalf("commits %d, rejections %d, view changes %d over %d schedules", commits, rejections, viewChanges, schedules)
	}
}

// check must be able to fail: a replica made to hold a version from elsewhere breaks "a
// replica at the tip's index holds the tip".
func TestCheckNamesABrokenInvariant(t *testing.T) {
	c, _ := NewCluster(3)
	c.Propose(mustPut(t, "a", "1"))
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	c.replicas[2].adopt(c.tip.freeze())
	if err := c.check(); err == nil || !strings.Contains(err.Error(), "replicas 0@1=tip 1@1=tip 2@1") {
		t.Fatalf("check: %v", err)
	}
}

func TestCheckNamesTwoVersionsAtOneIndex(t *testing.T) {
	c, _ := NewCluster(5)
	c.Partition([]uint64{3, 4})
	c.Propose(NoOpOp)
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	other, _ := NewCluster(1)
	c.replicas[4].adopt(other.tip.freeze())
	if err := c.check(); err == nil || !strings.HasPrefix(err.Error(), "two versions at index 0") {
		t.Fatalf("check: %v", err)
	}
}

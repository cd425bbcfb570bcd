package core

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"db20/wire"
)

// refReplica and refCluster are SPEC §2–3 read literally: a log per replica, catch-up by
// replaying entries, truncate_and_replay by clearing and replaying. The model must agree with
// them on every observable result.
type refReplica struct {
	log []Op
	sm  map[string]string
}

func (r *refReplica) appendOp(op Op) {
	r.log = append(r.log, op)
	applyRef(r.sm, op)
}

func applyRef(sm map[string]string, op Op) {
	switch op.kind {
	case Put:
		sm[op.key] = op.value
	case Del:
		delete(sm, op.key)
	}
}

func (r *refReplica) truncateAndReplay(source []Op, commit int) {
	r.sm = map[string]string{}
	r.log = append([]Op(nil), source[:commit]...)
	for _, op := range r.log {
		applyRef(r.sm, op)
	}
}

func (r *refReplica) dump() []byte {
	keys := make([]string, 0, len(r.sm))
	payload := 0
	for k, v := range r.sm {
		keys = append(keys, k)
		payload += 8 + len(k) + len(v)
	}
	sort.Strings(keys)
	entries := make([]wire.StringEntry, len(keys))
	for i, k := range keys {
		entries[i] = wire.StringEntry{Key: k, Value: r.sm[k]}
	}
	return wire.EncodeSnapshotStrings(uint64(len(r.log)), entries, payload)
}

type refCluster struct {
	replicas []*refReplica
	p        []bool
	view     int
}

func newRef(n int) *refCluster {
	c := &refCluster{p: make([]bool, n)}
	for i := 0; i < n; i++ {
		c.replicas = append(c.replicas, &refReplica{sm: map[string]string{}})
	}
	return c
}

func (c *refCluster) reach() int {
	n := 0
	for _, p := range c.p {
		if !p {
			n++
		}
	}
	return n
}

func (c *refCluster) leader() int { return c.view % len(c.replicas) }

func (c *refCluster) leaderCheck() bool {
	if !c.p[c.leader()] {
		return true
	}
	if c.reach() < len(c.replicas)/2+1 {
		return false
	}
	for c.view++; c.p[c.leader()]; c.view++ {
	}
	best := -1
	for id, r := range c.replicas {
		if !c.p[id] && (best < 0 || len(r.log) > len(c.replicas[best].log)) {
			best = id
		}
	}
	l, b := c.replicas[c.leader()], c.replicas[best]
	if len(b.log) > len(l.log) {
		l.truncateAndReplay(b.log, len(b.log))
	}
	return true
}

func (c *refCluster) propose(op Op) ProposeResult {
	if !c.leaderCheck() || c.reach() < len(c.replicas)/2+1 {
		return ProposeResult{}
	}
	l := c.replicas[c.leader()]
	for id, r := range c.replicas {
		if !c.p[id] && r != l {
			for i := len(r.log); i < len(l.log); i++ {
				r.appendOp(l.log[i])
			}
		}
	}
	for id, r := range c.replicas {
		if !c.p[id] {
			r.appendOp(op)
		}
	}
	return ProposeResult{Committed: true, Index: uint64(len(l.log))}
}

func (c *refCluster) read(key string) ReadResult {
	if !c.leaderCheck() || c.reach() < len(c.replicas)/2+1 {
		return ReadResult{Status: ReadRejected}
	}
	if v, ok := c.replicas[c.leader()].sm[key]; ok {
		return ReadResult{Status: ReadValue, Value: []byte(v)}
	}
	return ReadResult{Status: ReadMissing}
}

func (c *refCluster) heal() {
	clear(c.p)
	l := c.replicas[c.leader()]
	for _, r := range c.replicas {
		if len(r.log) != len(l.log) {
			r.truncateAndReplay(l.log, len(l.log))
		}
	}
}

// rng is splitmix64, so the test needs nothing outside the module.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func distinctIndexes(c *Cluster) int {
	seen := map[uint64]bool{}
	for _, r := range c.replicas {
		seen[r.CommitIndex()] = true
	}
	return len(seen)
}

func TestModelAgreesWithTheLiteralSpecOnRandomRuns(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		g := rng(seed)
		n := int(g.next()%7) + 1
		c, _ := NewCluster(n)
		ref := newRef(n)
		for step := 0; step < 300; step++ {
			key := fmt.Sprintf("k%d", g.next()%6)
			var what string
			switch x := g.next() % 20; {
			case x < 2:
				var ids []uint64
				for id := 0; id < n; id++ {
					if g.next()%3 == 0 {
						ids = append(ids, uint64(id))
					}
				}
				what = fmt.Sprintf("partition %v", ids)
				if err := c.Partition(ids); err != nil {
					t.Fatal(err)
				}
				clear(ref.p)
				for _, id := range ids {
					ref.p[id] = true
				}
			case x < 3:
				what = "heal"
				c.Heal()
				ref.heal()
			case x < 5:
				what = "get " + key
				got, want := c.Read([]byte(key)), ref.read(key)
				if got.Status != want.Status || !bytes.Equal(got.Value, want.Value) {
					t.Fatalf("seed %d step %d %s: %+v, want %+v", seed, step, what, got, want)
				}
			default:
				var op Op
				switch g.next() % 4 {
				case 0:
					op, _ = NewDelString(key)
				case 1:
					op = NoOpOp
				default:
					op, _ = NewPutString(key, fmt.Sprint(g.next()%100))
				}
				what = op.String()
				if got, want := c.Propose(op), ref.propose(op); got != want {
					t.Fatalf("seed %d step %d %s: %+v, want %+v", seed, step, what, got, want)
				}
			}
			if err := c.check(); err != nil {
				t.Fatalf("seed %d step %d after %s: %v", seed, step, what, err)
			}
			if v, d := c.versions(), distinctIndexes(c); v > d {
				t.Fatalf("seed %d step %d: %d versions for %d distinct commit indexes", seed, step, v, d)
			}
			if c.view != uint64(ref.view) {
				t.Fatalf("seed %d step %d: view %d, want %d", seed, step, c.view, ref.view)
			}
			for id := 0; id < n; id++ {
				if got, want := c.Replica(id).DumpState(), ref.replicas[id].dump(); !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d after %s: replica %d snapshot\n%s, want\n%s", seed, step, what, id, wire.Hex(got), wire.Hex(want))
				}
				if got, want := c.Replica(id).KeyCount(), len(ref.replicas[id].sm); got != want {
					t.Fatalf("seed %d step %d: replica %d keys %d, want %d", seed, step, id, got, want)
				}
			}
		}
	}
}

func mustPut(t *testing.T, k, v string) Op {
	op, err := NewPutString(k, v)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func TestReplicasAtOneIndexShareOneVersion(t *testing.T) {
	c, _ := NewCluster(7)
	c.Propose(mustPut(t, "a", "1"))
	if c.versions() != 1 {
		t.Fatalf("%d versions for one index", c.versions())
	}
	c.Partition([]uint64{2, 5, 6})
	c.Propose(mustPut(t, "b", "2"))
	r2, r5, r6 := c.replicas[2].state, c.replicas[5].state, c.replicas[6].state
	if r2 != r5 || r5 != r6 || r2.IsTip() || r2.Index() != 1 {
		t.Fatal("the replicas cut off at one index should share one frozen version")
	}
	for _, id := range []int{0, 1, 3, 4} {
		if c.replicas[id].state != c.tip {
			t.Fatalf("replica %d does not hold the tip", id)
		}
	}
	if c.versions() != 2 {
		t.Fatalf("%d versions, want 2", c.versions())
	}
}

func TestPartitionedReplicaKeepsItsSnapshotWhileTheTipMovesOn(t *testing.T) {
	c, _ := NewCluster(5)
	c.Propose(mustPut(t, "a", "1"))
	c.Propose(mustPut(t, "b", "2"))
	before := c.Replica(4).DumpState()
	c.Partition([]uint64{4})
	for i := 0; i < 50; i++ {
		c.Propose(mustPut(t, "a", fmt.Sprint(i)))
		c.Propose(mustPut(t, fmt.Sprint("n", i), "x"))
		if got := c.Replica(4).DumpState(); !bytes.Equal(got, before) {
			t.Fatalf("after %d ops the partitioned replica's snapshot changed", 2*(i+1))
		}
	}
	if c.Replica(0).CommitIndex() != 102 || c.Replica(4).CommitIndex() != 2 {
		t.Fatalf("commits %d and %d", c.Replica(0).CommitIndex(), c.Replica(4).CommitIndex())
	}
}

// Memory is bounded by the key space times the number of versions, not by the ops: no log,
// and never more versions than distinct commit indexes (two here: the tip, one frozen).
func TestMemoryDoesNotGrowWithOps(t *testing.T) {
	c, _ := NewCluster(5)
	keys := []string{"a", "b", "c"}
	for round := 0; round < 20; round++ {
		c.Partition([]uint64{uint64(round % 5), uint64((round + 2) % 5)})
		for i := 0; i < 500; i++ {
			c.Propose(mustPut(t, keys[i%3], fmt.Sprint(i)))
			if v := c.versions(); v > 2 || v > distinctIndexes(c) {
				t.Fatalf("round %d op %d: %d versions", round, i, v)
			}
		}
		c.Heal()
		if c.versions() != 1 {
			t.Fatalf("after heal %d versions", c.versions())
		}
	}
	if c.tip.kv.Len() != 3 || c.tip.index != 20*500 {
		t.Fatalf("tip at %d with %d keys", c.tip.index, c.tip.kv.Len())
	}
}

func TestPayloadBytesIsTheSumOverEntries(t *testing.T) {
	s := newKvState()
	for i, op := range []Op{mustPut(t, "a", "1"), mustPut(t, "a", "xyz"), mustPut(t, "bb", ""), {kind: Del, key: "a"}, {kind: Del, key: "zz"}} {
		s.apply(op)
		if err := s.checkPayload(); err != nil {
			t.Fatalf("after op %d: %v", i, err)
		}
	}
	if s.PayloadBytes() != 8+2 {
		t.Fatalf("payload %d", s.PayloadBytes())
	}
}

// Nothing handed out aliases the cluster's state: changing it changes no later answer.
func TestAccessorsReturnCopies(t *testing.T) {
	c, _ := NewCluster(3)
	c.Propose(mustPut(t, "a", "value"))
	digest := c.Digest()
	snap := c.Replica(0).DumpState()
	snap[len(snap)-1] ^= 0xff
	v, _ := c.Replica(1).Get([]byte("a"))
	v[0] = 'X'
	r := c.Read([]byte("a"))
	r.Value[0] = 'Y'
	op := mustPut(t, "k", "v")
	op.Value()[0] = 'Z'
	if c.Digest() != digest {
		t.Fatal("a caller's change reached the cluster")
	}
	if r := c.Read([]byte("a")); string(r.Value) != "value" {
		t.Fatalf("read %q", r.Value)
	}
	if op.Value()[0] != 'v' {
		t.Fatal("op value changed")
	}
	if _, err := wire.LoadState(c.Replica(0).DumpState()); err != nil {
		t.Fatal(err)
	}
}

func TestSettledFastPath(t *testing.T) {
	c, _ := NewCluster(5)
	if !c.settled {
		t.Fatal("a new cluster is settled")
	}
	c.Partition([]uint64{3})
	if c.settled {
		t.Fatal("settled with a partition")
	}
	c.Propose(mustPut(t, "a", "1"))
	c.Partition(nil)
	if c.settled {
		t.Fatal("settled with replica 3 behind the tip")
	}
	c.Propose(mustPut(t, "b", "1"))
	if !c.settled || c.versions() != 1 {
		t.Fatal("a propose with everyone reachable catches everyone up and settles")
	}
	op := mustPut(t, "a", "2")
	if n := testing.AllocsPerRun(100, func() { c.Propose(op) }); n != 0 {
		t.Fatalf("settled propose of an existing key allocates %v times", n)
	}
}

func TestCheckedConstructors(t *testing.T) {
	long := make([]byte, wire.MaxKeyLen+1)
	if _, err := NewPut(long, nil); err == nil || err.Error() != "key length 65536 exceeds the limit of 65535 bytes" {
		t.Fatalf("err %v", err)
	}
	if _, err := NewDel(nil); err == nil {
		t.Fatal("an empty key was accepted")
	}
	if _, err := NewPutString("k", string(make([]byte, wire.MaxValueLen+1))); err == nil || err.Error() != "value length 1048577 exceeds the limit of 1048576 bytes" {
		t.Fatalf("err %v", err)
	}
	if _, err := NewPut(long[:wire.MaxKeyLen], make([]byte, wire.MaxValueLen)); err != nil {
		t.Fatalf("limits themselves refused: %v", err)
	}
	if NoOpOp.Kind() != NoOp || (Op{}) != NoOpOp {
		t.Fatal("the zero Op is the NoOp")
	}
}

package core_test

import (
	"bytes"
	"testing"

	"db20/core"
	"db20/internal/testkit"
	"db20/wire"
	"db20/workload"
)

// The thirteen numbered tests, named as in Java's NumberedTest / NumberedWorkloadTest.

func put(t *testing.T, k, v string) core.Op {
	op, err := core.NewPut([]byte(k), []byte(v))
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func del(t *testing.T, k string) core.Op {
	op, err := core.NewDel([]byte(k))
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func newCluster(t *testing.T, n int) *core.Cluster {
	c, err := core.NewCluster(n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func committed(i uint64) core.ProposeResult { return core.ProposeResult{Committed: true, Index: i} }

func partition(t *testing.T, c *core.Cluster, ids ...uint64) {
	if err := c.Partition(ids); err != nil {
		t.Fatal(err)
	}
}

// assertEverySnapshotIs checks every replica's snapshot against SPEC §4's snapshot of the
// expected pairs (in key order) at commit, built by testkit from the table (Java:
// assertEverySnapshotIs), not against another replica's.
func assertEverySnapshotIs(t *testing.T, c *core.Cluster, commit uint64, pairs ...string) {
	t.Helper()
	want := testkit.Snapshot(commit, pairs...)
	for id := 0; id < c.Size(); id++ {
		if got := c.Replica(id).DumpState(); !bytes.Equal(got, want) {
			t.Fatalf("replica %d snapshot %s, want %s", id, wire.Hex(got), wire.Hex(want))
		}
	}
}

func TestNumbered01SingleReplicaPut(t *testing.T) {
	c := newCluster(t, 1)
	if got := c.Propose(put(t, "a", "v")); got != committed(1) {
		t.Fatalf("propose = %+v", got)
	}
	if r := c.Read([]byte("a")); r.Status != core.ReadValue || string(r.Value) != "v" {
		t.Fatalf("read = %+v", r)
	}
	if got := wire.Hex(c.Replica(0).DumpState()); got != "444232300100000001000000000000000100000001000000610100000076fdcf62bd" {
		t.Fatalf("snapshot = %s", got)
	}
}

func TestNumbered02FiveReplicaPutReachesAllFive(t *testing.T) {
	c := newCluster(t, 5)
	c.Propose(put(t, "a", "v"))
	for id := 0; id < 5; id++ {
		v, ok := c.Replica(id).Get([]byte("a"))
		if c.Replica(id).CommitIndex() != 1 || !ok || string(v) != "v" {
			t.Fatalf("replica %d: commit %d, value %q", id, c.Replica(id).CommitIndex(), v)
		}
	}
}

func TestNumbered03TwoOfFiveReachableRejectedNothingChanges(t *testing.T) {
	c := newCluster(t, 5)
	c.Propose(put(t, "a", "1"))
	var before [][]byte
	for id := 0; id < 5; id++ {
		before = append(before, c.Replica(id).DumpState())
	}
	partition(t, c, 2, 3, 4)
	if got := c.Propose(put(t, "b", "2")); got.Committed {
		t.Fatalf("propose = %+v, want rejected", got)
	}
	if r := c.Read([]byte("a")); r.Status != core.ReadRejected {
		t.Fatalf("read = %+v, want rejected", r)
	}
	for id := 0; id < 5; id++ {
		if !bytes.Equal(before[id], c.Replica(id).DumpState()) {
			t.Fatalf("replica %d changed", id)
		}
	}
	if c.View() != 0 {
		t.Fatalf("view = %d", c.View())
	}
}

func TestNumbered04ThreeOfFiveReachableCommitsPartitionedFollowersKeepZero(t *testing.T) {
	c := newCluster(t, 5)
	partition(t, c, 3, 4)
	if got := c.Propose(put(t, "a", "v")); got != committed(1) {
		t.Fatalf("propose = %+v", got)
	}
	for id, want := range []uint64{1, 1, 1, 0, 0} {
		if c.Replica(id).CommitIndex() != want {
			t.Fatalf("replica %d commit %d, want %d", id, c.Replica(id).CommitIndex(), want)
		}
	}
	if !c.IsPartitioned(3) || c.IsPartitioned(2) {
		t.Fatal("partitioned set wrong")
	}
}

func TestNumbered05HealAfterMutationsFiveIdenticalSnapshots(t *testing.T) {
	c := newCluster(t, 5)
	partition(t, c, 1, 4)
	c.Propose(put(t, "a", "1"))
	c.Propose(put(t, "b", "2"))
	c.Propose(del(t, "a"))
	if bytes.Equal(c.Replica(0).DumpState(), c.Replica(4).DumpState()) {
		t.Fatal("replica 4 should lag before heal")
	}
	c.Heal()
	assertEverySnapshotIs(t, c, 3, "b", "2")
	if c.Replica(4).CommitIndex() != 3 {
		t.Fatalf("replica 4 commit %d", c.Replica(4).CommitIndex())
	}
}

func TestNumbered06OrderedApplyOnAllFive(t *testing.T) {
	c := newCluster(t, 5)
	ops := []core.Op{put(t, "a", "1"), put(t, "b", "1"), del(t, "a"), put(t, "b", "2")}
	for i, op := range ops {
		if got := c.Propose(op); got != committed(uint64(i+1)) {
			t.Fatalf("op %d: %+v", i, got)
		}
	}
	for id := 0; id < 5; id++ {
		r := c.Replica(id)
		_, hasA := r.Get([]byte("a"))
		b, _ := r.Get([]byte("b"))
		if r.CommitIndex() != 4 || r.KeyCount() != 1 || hasA || string(b) != "2" {
			t.Fatalf("replica %d wrong state", id)
		}
	}
}

func TestNumbered07NoopAndAbsentDelCommitWithoutChangingMap(t *testing.T) {
	c := newCluster(t, 3)
	c.Propose(put(t, "a", "v"))
	if got := c.Propose(core.NoOpOp); got != committed(2) {
		t.Fatalf("noop = %+v", got)
	}
	if got := c.Propose(del(t, "absent")); got != committed(3) {
		t.Fatalf("del = %+v", got)
	}
	for id := 0; id < 3; id++ {
		s, err := wire.LoadState(c.Replica(id).DumpState())
		if err != nil || s.CommitIndex != 3 || len(s.Entries) != 1 {
			t.Fatalf("replica %d: %+v %v", id, s, err)
		}
	}
}

func TestNumbered08ByteFormatOffsetsAndSpecVectors(t *testing.T) {
	c := newCluster(t, 1)
	if got := wire.Hex(c.Replica(0).DumpState()); got != "444232300100000000000000000000000000000071239af8" {
		t.Fatalf("empty snapshot = %s", got)
	}
	c.Propose(put(t, "a", "v"))
	s := c.Replica(0).DumpState()
	fields := []struct {
		from, to int
		want     string
	}{
		{wire.OffsetMagic, wire.OffsetVersion, "44423230"},
		{wire.OffsetVersion, wire.OffsetFlags, "0100"},
		{wire.OffsetFlags, wire.OffsetCommitIndex, "0000"},
		{wire.OffsetCommitIndex, wire.OffsetEntryCount, "0100000000000000"},
		{wire.OffsetEntryCount, wire.HeaderSize, "01000000"},
		{wire.HeaderSize, 30, "01000000610100000076"},
		{30, 34, "fdcf62bd"},
	}
	if len(s) != 34 {
		t.Fatalf("len = %d", len(s))
	}
	for _, f := range fields {
		if got := wire.Hex(s[f.from:f.to]); got != f.want {
			t.Fatalf("bytes %d..%d = %s, want %s", f.from, f.to, got, f.want)
		}
	}
}

func TestNumbered09Splitmix64Vectors(t *testing.T) {
	g := workload.NewSplitMix64(0)
	for _, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := g.Next(); got != want {
			t.Fatalf("next = %016x, want %016x", got, want)
		}
	}
}

func TestNumbered10WorkloadDecodePinned(t *testing.T) {
	w := workload.NewWorkload(0, 16)
	want := []struct {
		kind  core.OpKind
		key   string
		value string
	}{{core.Del, "k4", ""}, {core.Del, "k11", ""}, {core.Put, "k12", "e30c000000000000"}, {core.Del, "k9", ""}, {core.Put, "k15", "e90e000000000000"}}
	for i, w0 := range want {
		op := w.NextOp()
		value := ""
		if op.Kind() == core.Put {
			value = wire.Hex(op.Value())
		}
		if op.Kind() != w0.kind || op.Key() != w0.key || value != w0.value {
			t.Fatalf("op %d = %+v, want %+v", i, op, w0)
		}
	}
}

func TestNumbered11LeaderCutOffViewChangeOldLeaderLagsUntilHeal(t *testing.T) {
	c := newCluster(t, 5)
	c.Propose(put(t, "a", "1"))
	partition(t, c, 0)
	if got := c.Propose(put(t, "b", "2")); got != committed(2) {
		t.Fatalf("propose = %+v", got)
	}
	if c.View() != 1 || c.Leader() != 1 || c.Replica(0).CommitIndex() != 1 || c.Replica(1).CommitIndex() != 2 {
		t.Fatalf("view %d leader %d", c.View(), c.Leader())
	}
	c.Heal()
	assertEverySnapshotIs(t, c, 2, "a", "1", "b", "2")
}

func TestNumbered12LeaderCutOffWithoutQuorumRejectedViewUnchanged(t *testing.T) {
	c := newCluster(t, 5)
	c.Propose(put(t, "a", "1"))
	partition(t, c, 0, 1, 2)
	if got := c.Propose(put(t, "b", "2")); got.Committed {
		t.Fatalf("propose = %+v", got)
	}
	if r := c.Read([]byte("a")); r.Status != core.ReadRejected {
		t.Fatalf("read = %+v", r)
	}
	if c.View() != 0 || c.Leader() != 0 {
		t.Fatalf("view %d", c.View())
	}
}

// SPEC §2's truncate_and_replay, by its observable result: a replica left behind with a key
// the history later deletes is caught up (by heal, and by a new leader's catch-up), and its
// snapshot then equals the source's byte for byte, the stale key gone.
func TestNumbered13TruncateAndReplayClearsStateAndRepeatedRoundsIdentical(t *testing.T) {
	c := newCluster(t, 5)
	c.Propose(put(t, "stale", "x"))
	partition(t, c, 4)
	c.Propose(put(t, "a", "1"))
	c.Propose(put(t, "b", "2"))
	c.Propose(del(t, "a"))
	c.Propose(del(t, "stale"))
	if _, ok := c.Replica(4).Get([]byte("stale")); !ok || c.Replica(4).CommitIndex() != 1 {
		t.Fatal("replica 4 should still hold the stale key at commit 1")
	}
	c.Heal()
	if _, ok := c.Replica(4).Get([]byte("stale")); ok {
		t.Fatal("stale key survived truncate_and_replay")
	}
	if !bytes.Equal(c.Replica(4).DumpState(), c.Replica(0).DumpState()) || c.Replica(4).CommitIndex() != 5 {
		t.Fatal("snapshots differ after truncate_and_replay")
	}
	if r := c.Replica(4); r.KeyCount() != 1 {
		t.Fatalf("replica 4 keys %d, want 1", r.KeyCount())
	}

	// The leader check's catch-up: the old leader is cut off, and the new leader (replica 1)
	// was itself behind; it catches up from the most complete reachable replica.
	c = newCluster(t, 5)
	c.Propose(put(t, "stale", "x"))
	partition(t, c, 1)
	c.Propose(del(t, "stale"))
	c.Propose(put(t, "k", "v"))
	partition(t, c, 0)
	if got := c.Propose(put(t, "z", "9")); got != committed(4) || c.Leader() != 1 {
		t.Fatalf("propose = %+v, leader %d", got, c.Leader())
	}
	if _, ok := c.Replica(1).Get([]byte("stale")); ok {
		t.Fatal("new leader kept the stale key")
	}
	if !bytes.Equal(c.Replica(1).DumpState(), c.Replica(2).DumpState()) {
		t.Fatal("new leader's snapshot differs from the most complete replica's")
	}

	c = newCluster(t, 5)
	index := 0
	for _, p := range [][]uint64{{3, 4}, {0}, {1, 2}, {4}, {0, 1}} {
		partition(t, c, p...)
		for i := 0; i < 7; i++ {
			op, _ := core.NewPut([]byte{'k', byte('0' + i%3)}, []byte{byte(index)})
			if !c.Propose(op).Committed {
				t.Fatal("rejected")
			}
			index++
		}
		c.Heal()
		// The round's last three puts, to k0, k1, k2 in turn, are what every replica holds.
		i := uint64(index)
		assertEverySnapshotIs(t, c, i, "k0", string([]byte{byte(index - 1)}), "k1", string([]byte{byte(index - 3)}),
			"k2", string([]byte{byte(index - 2)}))
	}
	if c.Replica(2).CommitIndex() != 35 {
		t.Fatalf("commit %d", c.Replica(2).CommitIndex())
	}
}

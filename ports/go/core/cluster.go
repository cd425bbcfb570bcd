package core

import (
	"fmt"

	"db20/wire"
)

const (
	MinSize = 1
	MaxSize = 255
)

// ProposeResult is Committed(Index) or Rejected (Java: ProposeResult).
type ProposeResult struct {
	Committed bool
	Index     uint64
}

// ReadStatus says which of SPEC §3's three read outcomes happened.
type ReadStatus int

const (
	ReadValue ReadStatus = iota
	ReadMissing
	ReadRejected
)

// ReadResult is Value(bytes), Missing or Rejected (Java: ReadResult). Value is the caller's
// own copy.
type ReadResult struct {
	Status ReadStatus
	Value  []byte
}

// Cluster is N replicas under a quorum, exactly as SPEC §3 says (Java: Cluster), built on one
// history and shared state versions (docs/core-model.md).
type Cluster struct {
	replicas []*Replica
	// tip is the one mutable state, at the history's length L.
	// Invariant: a replica is at index L iff it holds tip; every other replica holds a frozen
	// version with a smaller index, and replicas at one index share one version.
	tip *StateVersion
	// Invariant: partitionedCount == number of true entries in partitioned.
	partitioned      []bool
	partitionedCount int
	// The leader is replica view mod N. Invariant: the leader holds tip after every public
	// call (asserted after the leader check and after heal).
	view uint64
	// settled: no replica is partitioned and every replica holds tip, so propose and read
	// need no leader check, no catch-up and no freeze. Recomputed by partition, heal and a
	// slow-path propose (the only calls that change either condition).
	settled bool
}

// NewCluster makes n new replicas, view 0, no partition; all hold one empty tip.
func NewCluster(n int) (*Cluster, error) {
	if n < MinSize || n > MaxSize {
		return nil, fmt.Errorf("cluster size %d out of range %d..%d", n, MinSize, MaxSize)
	}
	c := &Cluster{tip: newTip(), partitioned: make([]bool, n), settled: true}
	c.replicas = make([]*Replica, n)
	for i := range c.replicas {
		c.replicas[i] = &Replica{id: i, state: c.tip}
	}
	return c, nil
}

func (c *Cluster) Size() int    { return len(c.replicas) }
func (c *Cluster) Quorum() int  { return len(c.replicas)/2 + 1 }
func (c *Cluster) View() uint64 { return c.view }

// Replica is replica id; its methods only read, and what they return is the caller's own.
func (c *Cluster) Replica(id int) *Replica   { return c.replicas[id] }
func (c *Cluster) IsPartitioned(id int) bool { return c.partitioned[id] }

// CommitIndex is the history's length L: the tip's index, the leader's commit index.
func (c *Cluster) CommitIndex() uint64 { return c.tip.index }

func (c *Cluster) reachableCount() int { return len(c.replicas) - c.partitionedCount }

// Leader is view mod N. Pure: runs no leader check.
func (c *Cluster) Leader() int { return int(c.view % uint64(len(c.replicas))) }

// CheckID returns an error naming the range unless id < N.
func (c *Cluster) CheckID(id uint64) error {
	if id >= uint64(len(c.replicas)) {
		return fmt.Errorf("replica id %d out of range 0..%d", id, len(c.replicas)-1)
	}
	return nil
}

// Partition makes the partitioned set exactly ids; an id ≥ N is an error that changes
// nothing. No state changes here: a replica cut off at the tip still holds it until the tip
// next applies an op.
func (c *Cluster) Partition(ids []uint64) error {
	for _, id := range ids {
		if err := c.CheckID(id); err != nil {
			return err
		}
	}
	clear(c.partitioned)
	for _, id := range ids {
		c.partitioned[id] = true
	}
	c.partitionedCount = 0
	for _, p := range c.partitioned {
		if p {
			c.partitionedCount++
		}
	}
	c.settle()
	return nil
}

// Heal empties P, then catches every replica whose commit index differs from the leader's up
// from the leader. No leader check (spec-notes N7).
func (c *Cluster) Heal() {
	clear(c.partitioned)
	c.partitionedCount = 0
	leader := c.replicas[c.Leader()]
	for _, r := range c.replicas {
		if r.CommitIndex() != leader.CommitIndex() {
			r.truncateAndReplay(leader)
		}
	}
	c.assertLeaderAtTip("heal")
	c.settle()
	if !c.settled {
		panic(fmt.Sprintf("heal left replicas off the tip(%d)", c.tip.index))
	}
}

// Propose is SPEC §3 propose.
func (c *Cluster) Propose(op Op) ProposeResult {
	if c.settled {
		c.tip.apply(op)
		return ProposeResult{Committed: true, Index: c.tip.index}
	}
	if !c.leaderCheck() || c.reachableCount() < c.Quorum() {
		return ProposeResult{}
	}
	c.assertLeaderAtTip("propose")
	leader := c.replicas[c.Leader()]
	// Copy on diverge: the partitioned replicas still at the tip keep its present state in
	// one frozen version, shared by all of them. Step 3: reachable replicas below the tip
	// catch up from the leader, which is at the tip.
	var frozen *StateVersion
	for id, r := range c.replicas {
		switch {
		case c.partitioned[id] && r.state == c.tip:
			if frozen == nil {
				frozen = c.tip.freeze()
			}
			r.state = frozen
		case !c.partitioned[id] && r.state != c.tip:
			r.truncateAndReplay(leader)
		}
	}
	// Step 4: one apply advances every reachable replica, all of which now hold the tip.
	c.tip.apply(op)
	c.settle()
	return ProposeResult{Committed: true, Index: c.tip.index}
}

// Read is SPEC §3 read.
func (c *Cluster) Read(key []byte) ReadResult {
	if !c.settled {
		if !c.leaderCheck() || c.reachableCount() < c.Quorum() {
			return ReadResult{Status: ReadRejected}
		}
		c.assertLeaderAtTip("read")
	}
	if v, ok := c.tip.get(string(key)); ok {
		return ReadResult{Status: ReadValue, Value: []byte(v)}
	}
	return ReadResult{Status: ReadMissing}
}

// Digest is FNV-1a 64 over every replica's snapshot in id order (SPEC §5). Each distinct
// version is encoded once (its cached bytes); the bytes are hashed once per replica.
func (c *Cluster) Digest() uint64 {
	h := wire.FnvOffsetBasis
	for _, r := range c.replicas {
		h = wire.Fnv1a64Update(h, r.state.snapshotBytes())
	}
	return h
}

// leaderCheck is SPEC §3's leader check: false when the leader is cut off without a quorum.
func (c *Cluster) leaderCheck() bool {
	if !c.partitioned[c.Leader()] {
		return true
	}
	if c.reachableCount() < c.Quorum() {
		return false
	}
	for {
		c.view++
		if !c.partitioned[c.Leader()] {
			break
		}
	}
	leader := c.replicas[c.Leader()]
	var best *Replica
	for id, r := range c.replicas {
		// Strictly greater: the lowest id wins a tie.
		if !c.partitioned[id] && (best == nil || r.CommitIndex() > best.CommitIndex()) {
			best = r
		}
	}
	if best.CommitIndex() > leader.CommitIndex() {
		leader.truncateAndReplay(best)
	}
	return true
}

func (c *Cluster) settle() {
	c.settled = c.partitionedCount == 0
	for _, r := range c.replicas {
		if !c.settled {
			return
		}
		c.settled = r.state == c.tip
	}
}

// assertLeaderAtTip is docs/core-model.md fact 2, cheap enough to check on every slow path.
func (c *Cluster) assertLeaderAtTip(where string) {
	if leader := c.replicas[c.Leader()]; leader.state != c.tip {
		panic(fmt.Sprintf("%s: leader %d commit(%d) != tip(%d)", where, leader.id, leader.CommitIndex(), c.tip.index))
	}
}

// check verifies every invariant of the representation, O(N + keys); for tests.
func (c *Cluster) check() error {
	if err := c.tip.kv.checkPayload(); err != nil {
		return err
	}
	byIndex := map[uint64]*StateVersion{}
	count := 0
	for id, r := range c.replicas {
		if r.state != c.tip {
			if r.state.kv != nil {
				return fmt.Errorf("replica %d holds a second tip", id)
			}
			if r.state.index >= c.tip.index {
				return fmt.Errorf("replica %d frozen at commit(%d) >= tip(%d)", id, r.state.index, c.tip.index)
			}
		}
		if v, ok := byIndex[r.state.index]; ok && v != r.state {
			return fmt.Errorf("replica %d at commit(%d) holds a version of its own", id, r.state.index)
		}
		byIndex[r.state.index] = r.state
		if p := c.partitioned[id]; p {
			count++
		}
	}
	if count != c.partitionedCount {
		return fmt.Errorf("partitionedCount(%d) != %d partitioned", c.partitionedCount, count)
	}
	if leader := c.replicas[c.Leader()]; leader.state != c.tip {
		return fmt.Errorf("leader %d commit(%d) != tip(%d)", leader.id, leader.CommitIndex(), c.tip.index)
	}
	return nil
}

// versions is the number of distinct state versions the replicas hold; for tests.
func (c *Cluster) versions() int {
	seen := map[*StateVersion]bool{}
	for _, r := range c.replicas {
		seen[r.state] = true
	}
	return len(seen)
}

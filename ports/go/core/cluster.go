package core

import (
	"fmt"
	"strings"

	"db20/wire"
)

const (
	MinSize = 1
	MaxSize = 255
)

// assertAliases turns on the O(N) alias assertions in Propose and Read (Java runs them under
// -ea). The package's tests set it (assert_test.go); a program leaves it off.
var assertAliases = false

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
	// The state after every committed op; its index is L, the history's length. Invariants
	// (docs/core-model.md): the leader holds it after every call; a replica is at index L iff
	// it holds this object; every other replica holds a *Frozen version below L.
	tip *Tip
	// Invariant: partitionedCount == number of true entries in partitioned.
	partitioned      []bool
	partitionedCount int
	// The leader is replica view mod N.
	view uint64
	// True when the leader is reachable, every reachable replica holds the tip and no
	// partitioned replica does: propose is then a quorum test and one apply, whatever N is.
	// Recomputed by every call that can change it.
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

// Size is N, the number of replicas.
func (c *Cluster) Size() int { return len(c.replicas) }

// Quorum is N/2 + 1.
func (c *Cluster) Quorum() int { return len(c.replicas)/2 + 1 }

// View is the current view; the leader is view mod N.
func (c *Cluster) View() uint64 { return c.view }

// Leader is view mod N. Pure: runs no leader check.
func (c *Cluster) Leader() int { return int(c.view % uint64(len(c.replicas))) }

// Committed is the number of committed ops: the length of the one history, and the leader's
// commit index.
func (c *Cluster) Committed() uint64 { return c.tip.index }

// Replica is replica id; its methods only read, and what they return is the caller's own.
func (c *Cluster) Replica(id int) *Replica { return c.replicas[id] }

// IsPartitioned is whether id is in the partitioned set.
func (c *Cluster) IsPartitioned(id int) bool { return c.partitioned[id] }

// CheckID returns an error naming the range unless id < N.
func (c *Cluster) CheckID(id uint64) error {
	if id >= uint64(len(c.replicas)) {
		return fmt.Errorf("replica id %d out of range 0..%d", id, len(c.replicas)-1)
	}
	return nil
}

// Partition makes the partitioned set exactly ids (repeats are fine). Changes no replica. An
// id ≥ N is an error that changes nothing.
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
	c.settled = c.computeSettled()
	return nil
}

// Heal empties the partitioned set, then brings every replica whose commit index differs from
// the leader's to the leader's state (SPEC §3 truncate_and_replay, by adopting the leader's
// version). Runs no leader check (docs/spec-notes.md N7).
func (c *Cluster) Heal() {
	clear(c.partitioned)
	c.partitionedCount = 0
	leader := c.replicas[c.Leader()]
	c.checkLeaderAtTip(leader)
	for _, r := range c.replicas {
		if r.CommitIndex() != leader.CommitIndex() {
			r.adopt(leader.state)
		}
	}
	c.settled = c.computeSettled()
}

// Propose is SPEC §3 propose: leader check, quorum, catch-up, append on every reachable
// replica.
func (c *Cluster) Propose(op Op) ProposeResult {
	if !c.admit() {
		return ProposeResult{}
	}
	c.tip.apply(op)
	return ProposeResult{Committed: true, Index: c.tip.index}
}

// admit is propose's steps 1–3 (leader check, quorum, catch-up, copy on diverge): may the op
// commit?
func (c *Cluster) admit() bool {
	if assertAliases && !c.aliasesHold() {
		panic(c.aliasState())
	}
	return (c.settled || c.prepareUnsettled()) && c.reachableCount() >= c.Quorum()
}

// prepareUnsettled is the steps of propose before the append when the cluster is not settled:
// the leader check, the quorum, catch-up of reachable replicas, and copy on diverge. False if
// the op is rejected.
func (c *Cluster) prepareUnsettled() bool {
	if !c.leaderCheck() || c.reachableCount() < c.Quorum() {
		c.settled = c.computeSettled()
		return false
	}
	// Step 3: a reachable replica behind the leader receives the missing entries; its state
	// becomes the leader's, which is the tip.
	for id, r := range c.replicas {
		if !c.partitioned[id] && r.state != StateVersion(c.tip) {
			r.adopt(c.tip)
		}
	}
	// Copy on diverge: a partitioned replica at the tip stays at this index while the tip
	// moves on, so it keeps one frozen copy, shared by every replica in the same position.
	var frozen *Frozen
	for id, r := range c.replicas {
		if c.partitioned[id] && r.state == StateVersion(c.tip) {
			if frozen == nil {
				frozen = c.tip.freeze()
			}
			r.adopt(frozen)
		}
	}
	// Every reachable replica now holds the tip and no partitioned one does: the append
	// advances exactly the reachable replicas.
	c.settled = c.computeSettled()
	return true
}

// Read is SPEC §3 read: leader check, quorum, then the leader's value. Changes nothing else.
func (c *Cluster) Read(key []byte) ReadResult {
	if assertAliases && !c.aliasesHold() {
		panic(c.aliasState())
	}
	if !c.settled {
		ok := c.leaderCheck()
		c.settled = c.computeSettled()
		if !ok {
			return ReadResult{Status: ReadRejected}
		}
	}
	if c.reachableCount() < c.Quorum() {
		return ReadResult{Status: ReadRejected}
	}
	if v, ok := c.replicas[c.Leader()].state.get(string(key)); ok {
		return ReadResult{Status: ReadValue, Value: []byte(v)}
	}
	return ReadResult{Status: ReadMissing}
}

// Digest is the cluster digest of SPEC §5: FNV-1a 64 over every replica's snapshot, in id
// order. Each distinct state is encoded once (its version caches the bytes) and hashed once
// per holder.
func (c *Cluster) Digest() uint64 {
	h := wire.FnvOffsetBasis
	for _, r := range c.replicas {
		h = wire.Fnv1a64Update(h, r.state.snapshot())
	}
	return h
}

// check verifies every invariant of the model (docs/core-model.md) and returns the broken one
// with the state printed: the cached aliases (settled, partitionedCount, the tip's payload
// bytes); a replica at the tip's index holds the tip and every other one a frozen version
// below it; a reachable leader holds the tip; at most N distinct versions, each at a distinct
// index. O(N + keys); the property tests call it after every step.
func (c *Cluster) check() error {
	if !c.aliasesHold() {
		return fmt.Errorf("%s", c.aliasState())
	}
	if err := c.tip.state.checkPayload(); err != nil {
		return fmt.Errorf("%v: %s", err, c.aliasState())
	}
	byIndex := map[uint64]StateVersion{}
	for _, r := range c.replicas {
		v := r.state
		if v != StateVersion(c.tip) {
			f, ok := v.(*Frozen)
			if !ok || f.index >= c.tip.index {
				return fmt.Errorf("replica %d holds %T at %d with the tip at %d: %s", r.id, v, v.Index(), c.tip.index, c.aliasState())
			}
			if err := f.check(); err != nil {
				return fmt.Errorf("replica %d: %v: %s", r.id, err, c.aliasState())
			}
		}
		if other, ok := byIndex[v.Index()]; ok && other != v {
			return fmt.Errorf("two versions at index %d (replicas share a version per index): %s", v.Index(), c.aliasState())
		}
		byIndex[v.Index()] = v
	}
	return nil
}

// distinctStates is how many distinct state versions the replicas hold (at most N; memory is
// bounded by it).
func (c *Cluster) distinctStates() int {
	seen := map[StateVersion]bool{}
	for _, r := range c.replicas {
		seen[r.state] = true
	}
	return len(seen)
}

// leaderCheck is the leader check of SPEC §3. It returns false when the leader is cut off and
// no quorum is reachable (nothing changes); otherwise it makes sure the leader is reachable,
// changing the view and catching the new leader up from the most complete reachable replica
// when needed.
func (c *Cluster) leaderCheck() bool {
	if !c.partitioned[c.Leader()] {
		c.checkLeaderAtTip(c.replicas[c.Leader()])
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
		leader.adopt(best.state)
	}
	// Quorum intersection puts the most complete reachable replica at the tip
	// (docs/core-model.md).
	c.checkLeaderAtTip(leader)
	return true
}

// aliasesHold is whether the cached aliases agree with what they cache: partitionedCount with
// partitioned, settled with computeSettled, and the model's invariants hold (the leader, when
// reachable, at the tip; every replica at the tip's index holds the tip). O(N), for
// assertions.
func (c *Cluster) aliasesHold() bool {
	count := 0
	for id, r := range c.replicas {
		if c.partitioned[id] {
			count++
		}
		if (r.CommitIndex() == c.tip.index) != (r.state == StateVersion(c.tip)) {
			return false
		}
	}
	return count == c.partitionedCount && c.settled == c.computeSettled() &&
		(c.partitioned[c.Leader()] || c.replicas[c.Leader()].state == StateVersion(c.tip))
}

// aliasState is the state an alias assertion prints.
func (c *Cluster) aliasState() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "cluster aliases broken: settled=%t (computed %t), partitionedCount=%d, view=%d, tip=%d, replicas",
		c.settled, c.computeSettled(), c.partitionedCount, c.view, c.tip.index)
	for id, r := range c.replicas {
		cut, tip := "", ""
		if c.partitioned[id] {
			cut = "(cut)"
		}
		if r.state == StateVersion(c.tip) {
			tip = "=tip"
		}
		fmt.Fprintf(&sb, " %d%s@%d%s", id, cut, r.CommitIndex(), tip)
	}
	return sb.String()
}

func (c *Cluster) computeSettled() bool {
	if c.partitioned[c.Leader()] {
		return false
	}
	for id, r := range c.replicas {
		if c.partitioned[id] == (r.state == StateVersion(c.tip)) {
			return false
		}
	}
	return true
}

// checkLeaderAtTip is docs/core-model.md fact 2, cheap enough to check on every slow path.
func (c *Cluster) checkLeaderAtTip(leader *Replica) {
	if leader.state != StateVersion(c.tip) {
		panic(fmt.Sprintf("leader %d commit(%d) is not at the tip(%d)", leader.id, leader.CommitIndex(), c.tip.index))
	}
}

func (c *Cluster) reachableCount() int { return len(c.replicas) - c.partitionedCount }

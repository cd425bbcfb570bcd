// The db20 model of SPEC §1–3 built as docs/core-model.md says: one history, shared state
// versions, copy on diverge, no log (Java: db20-core).
#ifndef DB20_CORE_H
#define DB20_CORE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "db20/wire.h"

namespace db20::core {

using wire::Bytes;

// One operation of SPEC §1 (Java: Op). Only the checked constructors make one, so an Op that
// exists is within the limits; it is a small value (the workload's keys and 8-byte values fit
// in std::string's inline buffer, so copying one allocates nothing).
class Op {
 public:
  enum class Kind : uint8_t { NoOp = 0, Put = 1, Del = 2 };

  // Throw std::invalid_argument naming the limit (SPEC §1).
  static Op noop();
  static Op put(Bytes key, Bytes value);
  static Op del(Bytes key);

  Kind kind() const { return kind_; }
  const Bytes& key() const { return key_; }
  const Bytes& value() const { return value_; }
  bool operator==(const Op& o) const {
    return kind_ == o.kind_ && key_ == o.key_ && value_ == o.value_;
  }

 private:
  Op(Kind kind, Bytes key, Bytes value)
      : kind_(kind), key_(std::move(key)), value_(std::move(value)) {}
  Kind kind_;
  Bytes key_;
  Bytes value_;
};

// The state machine of SPEC §2 (Java: KvState): key bytes to value bytes, unordered; keys are
// sorted only when a snapshot or a frozen version is made.
//
// Why std::unordered_map<std::string, std::string> and not shared immutable strings
// (std::shared_ptr<const std::string>): workload keys (`k` + at most 7 digits while cached) and
// the 8-byte values fit in the SSO buffer, so an apply allocates only a map node for a new key
// and a freeze copies short strings without touching the heap, whereas shared values cost one
// allocation per Put plus reference counting on every copy. bench_db20 run with both (values
// as shared_ptr<const std::string> in the map and in frozen entries) favoured plain strings on
// propose and on the issue-8 script, and the digest was no faster with sharing (it hashes
// cached bytes either way). Long values (rare, script `put` only) are the one case sharing
// would win: a freeze copies them once per partition event, never per op.
class KvState {
 public:
  using Map = std::unordered_map<Bytes, Bytes>;
  void apply(const Op& op);
  const Map& map() const { return map_; }
  size_t size() const { return map_.size(); }
  size_t payload_bytes() const { return payload_bytes_; }
  const Bytes* find(const Bytes& key) const;

 private:
  Map map_;
  // Invariant: payload_bytes_ == Σ over map_ of 8 + |key| + |value| (the snapshot payload).
  size_t payload_bytes_ = 0;
};

// The state machine after some prefix of the one committed history, and that prefix's length:
// what a replica holds (Java: StateVersion; docs/core-model.md). Replicas at the same index hold
// the same version. Two kinds: the Tip, the one mutable version at the end of the history
// (applying an op to it advances every replica that holds it at once), and a Frozen version,
// what a partitioned replica keeps when the tip moves on without it: immutable, made once,
// shared. Immutable through this interface; the cluster alone mutates the tip.
class StateVersion {
 public:
  virtual ~StateVersion() = default;
  // The number of committed ops this state has applied: the holder's commit index.
  virtual uint64_t index() const = 0;
  virtual size_t key_count() const = 0;
  virtual std::optional<Bytes> get(const Bytes& key) const = 0;
  // The canonical snapshot (SPEC §4), made once per version and kept (the tip drops it on apply).
  virtual std::shared_ptr<const std::vector<uint8_t>> snapshot() const = 0;
};

// The tip of the history: the state after every committed op, at index L.
class Tip final : public StateVersion {
 public:
  uint64_t index() const override { return index_; }
  size_t key_count() const override { return kv_.size(); }
  std::optional<Bytes> get(const Bytes& key) const override;
  std::shared_ptr<const std::vector<uint8_t>> snapshot() const override;
  const KvState& kv() const { return kv_; }
  // The snapshot if one was made since the last apply, else null (a freeze reuses it).
  const std::shared_ptr<const std::vector<uint8_t>>& cached_snapshot() const { return snapshot_; }

 private:
  friend class Cluster;
  // Commits op at index + 1 and applies it.
  void apply(const Op& op);

  KvState kv_;
  // Invariant: index_ == number of ops applied to kv_ == the history's length.
  uint64_t index_ = 0;
  // Null or the snapshot of (kv_, index_); reset by apply.
  mutable std::shared_ptr<const std::vector<uint8_t>> snapshot_;
};

// A state left behind by the tip, kept for the replicas that still hold it: entries sorted by
// unsigned bytewise key order, made once (one sort) when a partitioned replica is left behind.
class Frozen final : public StateVersion {
 public:
  // An immutable copy of tip at its current index (Java: Tip.freeze()).
  explicit Frozen(const Tip& tip);
  uint64_t index() const override { return index_; }
  size_t key_count() const override { return entries_.size(); }
  std::optional<Bytes> get(const Bytes& key) const override;
  std::shared_ptr<const std::vector<uint8_t>> snapshot() const override;
  // The version's own invariants (keys strictly increasing, payload_bytes_ their sum, the
  // cached snapshot of that size); throws std::logic_error naming the broken one. O(keys).
  void check() const;

 private:
  // Invariant: keys strictly increasing (wire::bytes_less); payload_bytes_ as in KvState.
  std::vector<std::pair<Bytes, Bytes>> entries_;
  size_t payload_bytes_ = 0;
  // Invariant: index_ < the tip's index for as long as a replica holds this version.
  uint64_t index_;
  // A cache, not state: filled on the first snapshot() (the model is single-threaded).
  mutable std::shared_ptr<const std::vector<uint8_t>> snapshot_;
};

// One replica of SPEC §2 (Java: Replica): an id and the state version it holds. Its commit
// index is its version's index; it has no log (docs/core-model.md). Accessors return copies.
class Replica {
 public:
  int id() const { return id_; }
  uint64_t commit_index() const { return state_->index(); }
  size_t key_count() const { return state_->key_count(); }
  std::optional<Bytes> get(const Bytes& key) const { return state_->get(key); }
  // The canonical snapshot of SPEC §4, a copy of the version's cached bytes.
  std::vector<uint8_t> dump_state() const { return *state_->snapshot(); }

 private:
  friend class Cluster;
  friend struct ClusterProbe;  // tests that break an invariant on purpose (test_literal_model.cc)
  Replica(int id, std::shared_ptr<const StateVersion> state) : id_(id), state_(std::move(state)) {}
  // Catch-up as SPEC §2's truncate_and_replay defines its result: the state becomes exactly
  // source's. The source's version is handed over, not replayed.
  void adopt(std::shared_ptr<const StateVersion> source) { state_ = std::move(source); }

  int id_;
  // Invariant: never null; commit_index() <= the cluster's tip index, and every replica at the
  // tip index holds the tip itself.
  std::shared_ptr<const StateVersion> state_;
};

struct ProposeResult {
  bool committed = false;
  uint64_t index = 0;
  bool operator==(const ProposeResult& o) const {
    return committed == o.committed && index == o.index;
  }
};
inline ProposeResult Committed(uint64_t index) { return {true, index}; }
inline const ProposeResult Rejected{false, 0};

struct ReadResult {
  enum class Status { Value, Missing, Rejected };
  Status status;
  Bytes value;
};

// N replicas under a quorum, exactly as SPEC §3 says (Java: Cluster). Not copyable: replicas
// share the cluster's tip.
class Cluster {
 public:
  static constexpr int MIN_SIZE = 1;
  static constexpr int MAX_SIZE = 255;
  explicit Cluster(int n);  // throws std::invalid_argument outside 1..255
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int size() const { return static_cast<int>(replicas_.size()); }
  int quorum() const { return size() / 2 + 1; }
  uint64_t view() const { return view_; }
  int leader() const { return static_cast<int>(view_ % replicas_.size()); }  // pure
  // The number of committed ops: the length of the one history, and the leader's commit index.
  uint64_t committed() const { return tip_->index(); }
  const Replica& replica(int id) const { return replicas_.at(static_cast<size_t>(id)); }
  bool is_partitioned(int id) const { return partitioned_.at(static_cast<size_t>(id)); }

  // Throws std::invalid_argument naming the range (and changes nothing) for an id ≥ N.
  void check_id(uint64_t id) const;
  // Makes the partitioned set exactly ids (repeats are fine). Changes no replica.
  void partition(const std::vector<uint64_t>& ids);
  // Empties the partitioned set, then every replica whose commit index differs from the
  // leader's adopts the leader's version (SPEC §3 truncate_and_replay). No leader check (N7).
  void heal();
  // SPEC §3 propose: leader check, quorum, catch-up, append on every reachable replica.
  ProposeResult propose(const Op& op);
  // SPEC §3 read: leader check, quorum, then the leader's value.
  ReadResult read(const Bytes& key);
  // SPEC §5: FNV-1a 64 over every replica's snapshot in id order; each distinct state encoded
  // once, hashed once per holder.
  uint64_t digest() const;

  // Checks every invariant of the model (docs/core-model.md) and throws std::logic_error with
  // the state printed if one is broken: the cached aliases (settled_, partitioned_count_, the
  // tip's payload bytes); a replica at the tip's index holds the tip and every other one a
  // frozen version below it; a reachable leader holds the tip; at most N distinct versions,
  // each at a distinct index. O(N + keys); the property tests call it after every step, in
  // every build type (assert() is off under NDEBUG).
  void check() const;
  // Observations for tests of the sharing (docs/core-model.md, "Invariants").
  bool shares_state(int a, int b) const { return replica(a).state_ == replica(b).state_; }
  // How many distinct state versions the replicas hold (at most N; memory is bounded by it).
  size_t distinct_states() const;

 private:
  friend struct ClusterProbe;
  bool admit();
  bool prepare_unsettled();
  bool leader_check();
  bool aliases_hold() const;
  std::string alias_state() const;
  bool compute_settled() const;
  void check_leader_at_tip(const Replica& leader) const;
  int reachable_count() const { return size() - partitioned_count_; }
  bool holds_tip(const Replica& r) const { return r.state_.get() == tip_.get(); }

  // The state after every committed op; its index is L, the history's length. Invariants
  // (docs/core-model.md): the leader holds it after every call; a replica is at index L iff it
  // holds this object; every other replica holds a Frozen version below L.
  std::shared_ptr<Tip> tip_;
  std::vector<Replica> replicas_;
  // Invariant: partitioned_count_ == number of true entries in partitioned_.
  std::vector<bool> partitioned_;
  int partitioned_count_ = 0;
  // The leader is replica view_ mod N.
  uint64_t view_ = 0;
  // True when the leader is reachable, every reachable replica holds the tip and no partitioned
  // replica does: propose is then a quorum test and one apply, whatever N is. Recomputed by
  // every call that can change it.
  bool settled_ = true;
};

}  // namespace db20::core

#endif

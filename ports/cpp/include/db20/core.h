// The db20 model of SPEC §1–3: ops, a replica, the cluster (Java: db20-core).
#ifndef DB20_CORE_H
#define DB20_CORE_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "db20/wire.h"

namespace db20::core {

using wire::Bytes;

// One operation of SPEC §1 (Java: Op). Immutable once made; shared between logs.
struct Op {
  enum class Kind : uint8_t { NoOp = 0, Put = 1, Del = 2 };
  Kind kind = Kind::NoOp;
  Bytes key;
  Bytes value;

  // Checked constructors: throw std::invalid_argument naming the limit (SPEC §1).
  static std::shared_ptr<const Op> noop();
  static std::shared_ptr<const Op> put(Bytes key, Bytes value);
  static std::shared_ptr<const Op> del(Bytes key);
  bool operator==(const Op& o) const { return kind == o.kind && key == o.key && value == o.value; }
};
using OpPtr = std::shared_ptr<const Op>;

// Entries at indexes 1, 2, 3, …; the ops are shared, not copied. A type of its own so that it
// can later be compacted behind a snapshot (SPEC §2 allows it).
class ReplicaLog {
 public:
  uint64_t size() const { return entries_.size(); }
  const OpPtr& get(uint64_t index) const;  // 1 ≤ index ≤ size()
  void append(OpPtr op) { entries_.push_back(std::move(op)); }
  ReplicaLog prefix(uint64_t count) const;

 private:
  // Invariant: entries_[i] is the op at log index i + 1.
  std::vector<OpPtr> entries_;
};

// One replica of SPEC §2 (Java: Replica).
class Replica {
 public:
  explicit Replica(int id) : id_(id) {}
  int id() const { return id_; }
  uint64_t commit_index() const { return commit_index_; }
  size_t key_count() const { return sm_.size(); }
  const ReplicaLog& log() const { return log_; }
  std::optional<Bytes> get(const Bytes& key) const;
  // The canonical snapshot of SPEC §4, written once into one buffer of the right size.
  std::vector<uint8_t> dump_state() const;

  void append(OpPtr op);
  void catch_up_from(const Replica& leader);
  void truncate_and_replay(const ReplicaLog& source, uint64_t source_commit);

 private:
  void apply(const Op& op);
  void check_invariant() const;

  int id_;
  // Invariant: log_.size() == commit_index_; every entry is applied to sm_.
  ReplicaLog log_;
  uint64_t commit_index_ = 0;
  // std::map over std::string: unsigned bytewise order, the snapshot order.
  std::map<Bytes, Bytes> sm_;
  // Invariant: sm_payload_bytes_ == sum over sm_ of 8 + key.size() + value.size().
  size_t sm_payload_bytes_ = 0;
};

struct ProposeResult {
  bool committed = false;
  uint64_t index = 0;
  bool operator==(const ProposeResult& o) const { return committed == o.committed && index == o.index; }
};
inline ProposeResult Committed(uint64_t index) { return {true, index}; }
inline const ProposeResult Rejected{false, 0};

struct ReadResult {
  enum class Status { Value, Missing, Rejected };
  Status status;
  Bytes value;
};

// N replicas under a quorum, exactly as SPEC §3 says (Java: Cluster).
class Cluster {
 public:
  static constexpr int MIN_SIZE = 1;
  static constexpr int MAX_SIZE = 255;
  explicit Cluster(int n);  // throws std::invalid_argument outside 1..255

  int size() const { return static_cast<int>(replicas_.size()); }
  int quorum() const { return size() / 2 + 1; }
  uint64_t view() const { return view_; }
  int leader() const { return static_cast<int>(view_ % replicas_.size()); }  // pure
  const Replica& replica(int id) const { return replicas_.at(id); }
  bool is_partitioned(int id) const { return partitioned_.at(id); }

  // Throws std::invalid_argument naming the range (and changes nothing) for an id ≥ N.
  void check_id(uint64_t id) const;
  void partition(const std::vector<uint64_t>& ids);
  void heal();
  ProposeResult propose(OpPtr op);
  ReadResult read(const Bytes& key);
  uint64_t digest() const;

 private:
  bool leader_check();
  int reachable_count() const { return size() - partitioned_count_; }

  std::vector<Replica> replicas_;
  // Invariant: partitioned_count_ == number of true entries in partitioned_.
  std::vector<bool> partitioned_;
  int partitioned_count_ = 0;
  // The leader is replica view_ mod N.
  uint64_t view_ = 0;
};

}  // namespace db20::core

#endif

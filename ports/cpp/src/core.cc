#include "db20/core.h"

namespace db20::core {
using namespace wire::snapshot_format;

namespace {
void check_key(const Bytes& key) {
  if (key.size() < MIN_KEY_LEN) throw std::invalid_argument("key length 0 is below the minimum of 1 byte");
  if (key.size() > MAX_KEY_LEN) {
    throw std::invalid_argument("key length " + std::to_string(key.size()) + " exceeds the limit of 65535 bytes");
  }
}
}  // namespace

OpPtr Op::noop() {
  static const OpPtr instance = std::make_shared<const Op>();
  return instance;
}

OpPtr Op::put(Bytes key, Bytes value) {
  check_key(key);
  if (value.size() > MAX_VALUE_LEN) {
    throw std::invalid_argument("value length " + std::to_string(value.size()) +
                                " exceeds the limit of 1048576 bytes");
  }
  return std::make_shared<const Op>(Op{Kind::Put, std::move(key), std::move(value)});
}

OpPtr Op::del(Bytes key) {
  check_key(key);
  return std::make_shared<const Op>(Op{Kind::Del, std::move(key), Bytes()});
}

const OpPtr& ReplicaLog::get(uint64_t index) const {
  if (index < 1 || index > size()) {
    throw std::out_of_range("log index " + std::to_string(index) + " outside 1.." + std::to_string(size()));
  }
  return entries_[index - 1];
}

ReplicaLog ReplicaLog::prefix(uint64_t count) const {
  if (count > size()) throw std::logic_error("prefix longer than the log");
  ReplicaLog out;
  out.entries_.assign(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(count));
  return out;
}

std::optional<Bytes> Replica::get(const Bytes& key) const {
  auto it = sm_.find(key);
  if (it == sm_.end()) return std::nullopt;
  return it->second;
}

std::vector<uint8_t> Replica::dump_state() const {
  return wire::encode_snapshot(commit_index_, sm_.size(), sm_payload_bytes_, sm_);
}

void Replica::append(OpPtr op) {
  apply(*op);
  log_.append(std::move(op));
  ++commit_index_;
  check_invariant();
}

void Replica::catch_up_from(const Replica& leader) {
  if (commit_index_ > leader.commit_index_) {
    throw std::logic_error("replica " + std::to_string(id_) + " commit(" + std::to_string(commit_index_) +
                           ") > leader commit(" + std::to_string(leader.commit_index_) + ")");
  }
  for (uint64_t i = commit_index_ + 1; i <= leader.commit_index_; i++) append(leader.log_.get(i));
}

void Replica::truncate_and_replay(const ReplicaLog& source, uint64_t source_commit) {
  sm_.clear();
  sm_payload_bytes_ = 0;
  log_ = source.prefix(source_commit);
  commit_index_ = source_commit;
  for (uint64_t i = 1; i <= source_commit; i++) apply(*log_.get(i));
  check_invariant();
}

void Replica::apply(const Op& op) {
  switch (op.kind) {
    case Op::Kind::NoOp:
      break;
    case Op::Kind::Put: {
      auto [it, inserted] = sm_.try_emplace(op.key, op.value);
      if (inserted) {
        sm_payload_bytes_ += 2 * SIZE_LENGTH_PREFIX + op.key.size() + op.value.size();
      } else {
        sm_payload_bytes_ = sm_payload_bytes_ - it->second.size() + op.value.size();
        it->second = op.value;
      }
      break;
    }
    case Op::Kind::Del: {
      auto it = sm_.find(op.key);
      if (it != sm_.end()) {
        sm_payload_bytes_ -= 2 * SIZE_LENGTH_PREFIX + op.key.size() + it->second.size();
        sm_.erase(it);
      }
      break;
    }
  }
}

void Replica::check_invariant() const {
  if (log_.size() != commit_index_) {
    throw std::logic_error("replica " + std::to_string(id_) + ": log.size(" + std::to_string(log_.size()) +
                           ") != commit_index(" + std::to_string(commit_index_) + ")");
  }
}

Cluster::Cluster(int n) {
  if (n < MIN_SIZE || n > MAX_SIZE) {
    throw std::invalid_argument("cluster size " + std::to_string(n) + " out of range 1..255");
  }
  for (int i = 0; i < n; i++) replicas_.emplace_back(i);
  partitioned_.assign(n, false);
}

void Cluster::check_id(uint64_t id) const {
  if (id >= replicas_.size()) {
    throw std::invalid_argument("replica id " + std::to_string(id) + " out of range 0.." +
                                std::to_string(replicas_.size() - 1));
  }
}

void Cluster::partition(const std::vector<uint64_t>& ids) {
  for (uint64_t id : ids) check_id(id);
  partitioned_.assign(replicas_.size(), false);
  for (uint64_t id : ids) partitioned_[id] = true;
  partitioned_count_ = 0;
  for (bool p : partitioned_) partitioned_count_ += p ? 1 : 0;
}

void Cluster::heal() {
  partitioned_.assign(replicas_.size(), false);
  partitioned_count_ = 0;
  const Replica& l = replicas_[leader()];
  for (Replica& r : replicas_) {
    if (&r != &l && r.commit_index() != l.commit_index()) r.truncate_and_replay(l.log(), l.commit_index());
  }
}

ProposeResult Cluster::propose(OpPtr op) {
  if (!leader_check() || reachable_count() < quorum()) return Rejected;
  const Replica& l = replicas_[leader()];
  for (int id = 0; id < size(); id++) {
    if (!partitioned_[id] && id != leader() && replicas_[id].commit_index() < l.commit_index()) {
      replicas_[id].catch_up_from(l);
    }
  }
  uint64_t index = l.commit_index() + 1;
  for (int id = 0; id < size(); id++) {
    if (partitioned_[id]) continue;
    if (replicas_[id].commit_index() != index - 1) {
      throw std::logic_error("replica " + std::to_string(id) + " commit != leader commit before append");
    }
    replicas_[id].append(op);
  }
  return Committed(index);
}

ReadResult Cluster::read(const Bytes& key) {
  if (!leader_check() || reachable_count() < quorum()) return {ReadResult::Status::Rejected, {}};
  auto v = replicas_[leader()].get(key);
  if (!v) return {ReadResult::Status::Missing, {}};
  return {ReadResult::Status::Value, *v};
}

uint64_t Cluster::digest() const {
  uint64_t h = wire::FNV_OFFSET_BASIS;
  for (const Replica& r : replicas_) {
    std::vector<uint8_t> s = r.dump_state();
    h = wire::fnv1a64_update(h, s.data(), s.size());
  }
  return h;
}

bool Cluster::leader_check() {
  if (!partitioned_[leader()]) return true;
  if (reachable_count() < quorum()) return false;
  do {
    ++view_;
  } while (partitioned_[leader()]);
  Replica& l = replicas_[leader()];
  int best = -1;
  for (int id = 0; id < size(); id++) {
    // Strictly greater: the lowest id wins a tie.
    if (!partitioned_[id] && (best < 0 || replicas_[id].commit_index() > replicas_[best].commit_index())) best = id;
  }
  const Replica& b = replicas_[best];
  if (b.commit_index() > l.commit_index()) l.truncate_and_replay(b.log(), b.commit_index());
  return true;
}

}  // namespace db20::core

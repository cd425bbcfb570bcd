#include "db20/core.h"

#include <algorithm>
#include <unordered_set>

namespace db20::core {
using namespace wire::snapshot_format;

namespace {
void check_key(const Bytes& key) {
  if (key.size() < MIN_KEY_LEN) throw std::invalid_argument("key length 0 is below the minimum of 1 byte");
  if (key.size() > MAX_KEY_LEN) {
    throw std::invalid_argument("key length " + std::to_string(key.size()) + " exceeds the limit of 65535 bytes");
  }
}

size_t entry_size(const Bytes& key, const Bytes& value) { return 2 * SIZE_LENGTH_PREFIX + key.size() + value.size(); }

// Lets wire::encode_snapshot walk sorted pointers into the tip's map as (key, value) pairs.
template <typename Ptr>
struct DerefRange {
  const std::vector<Ptr>& items;
  struct iterator {
    typename std::vector<Ptr>::const_iterator it;
    const auto& operator*() const { return **it; }
    iterator& operator++() {
      ++it;
      return *this;
    }
    bool operator!=(const iterator& o) const { return it != o.it; }
  };
  iterator begin() const { return {items.begin()}; }
  iterator end() const { return {items.end()}; }
};

using MapEntry = KvState::Map::value_type;

std::vector<const MapEntry*> sorted_entries(const KvState& kv) {
  std::vector<const MapEntry*> out;
  out.reserve(kv.size());
  for (const MapEntry& e : kv.map()) out.push_back(&e);
  std::sort(out.begin(), out.end(), [](const MapEntry* a, const MapEntry* b) { return wire::bytes_less(a->first, b->first); });
  return out;
}
}  // namespace

Op Op::noop() { return Op(Kind::NoOp, Bytes(), Bytes()); }

Op Op::put(Bytes key, Bytes value) {
  check_key(key);
  if (value.size() > MAX_VALUE_LEN) {
    throw std::invalid_argument("value length " + std::to_string(value.size()) +
                                " exceeds the limit of 1048576 bytes");
  }
  return Op(Kind::Put, std::move(key), std::move(value));
}

Op Op::del(Bytes key) {
  check_key(key);
  return Op(Kind::Del, std::move(key), Bytes());
}

void KvState::apply(const Op& op) {
  switch (op.kind()) {
    case Op::Kind::NoOp:
      break;
    case Op::Kind::Put: {
      auto [it, inserted] = map_.try_emplace(op.key(), op.value());
      if (inserted) {
        payload_bytes_ += entry_size(op.key(), op.value());
      } else {
        payload_bytes_ = payload_bytes_ - it->second.size() + op.value().size();
        it->second = op.value();
      }
      break;
    }
    case Op::Kind::Del: {
      auto it = map_.find(op.key());
      if (it != map_.end()) {
        payload_bytes_ -= entry_size(it->first, it->second);
        map_.erase(it);
      }
      break;
    }
  }
}

const Bytes* KvState::find(const Bytes& key) const {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

std::optional<Bytes> TipState::get(const Bytes& key) const {
  const Bytes* v = kv_.find(key);
  if (v == nullptr) return std::nullopt;
  return *v;
}

std::shared_ptr<const std::vector<uint8_t>> TipState::snapshot() const {
  if (!snapshot_) {
    auto sorted = sorted_entries(kv_);
    snapshot_ = std::make_shared<const std::vector<uint8_t>>(
        wire::encode_snapshot(index_, sorted.size(), kv_.payload_bytes(), DerefRange<const MapEntry*>{sorted}));
  }
  return snapshot_;
}

void TipState::apply(const Op& op) {
  kv_.apply(op);
  ++index_;
  snapshot_.reset();
}

FrozenState::FrozenState(const TipState& tip)
    : payload_bytes_(tip.kv().payload_bytes()), index_(tip.index()), snapshot_(tip.cached_snapshot()) {
  // Sort pointers, then copy once in order: no string moves during the sort.
  auto sorted = sorted_entries(tip.kv());
  entries_.reserve(sorted.size());
  for (const MapEntry* e : sorted) entries_.emplace_back(e->first, e->second);
}

std::optional<Bytes> FrozenState::get(const Bytes& key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const std::pair<Bytes, Bytes>& e, const Bytes& k) { return wire::bytes_less(e.first, k); });
  if (it == entries_.end() || it->first != key) return std::nullopt;
  return it->second;
}

std::shared_ptr<const std::vector<uint8_t>> FrozenState::snapshot() const {
  if (!snapshot_) {
    snapshot_ = std::make_shared<const std::vector<uint8_t>>(
        wire::encode_snapshot(index_, entries_.size(), payload_bytes_, entries_));
  }
  return snapshot_;
}

Cluster::Cluster(int n) : tip_(std::make_shared<TipState>()) {
  if (n < MIN_SIZE || n > MAX_SIZE) {
    throw std::invalid_argument("cluster size " + std::to_string(n) + " out of range 1..255");
  }
  replicas_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) replicas_.push_back(Replica(i, tip_));
  partitioned_.assign(static_cast<size_t>(n), false);
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
  recompute_settled();
}

void Cluster::heal() {
  partitioned_.assign(replicas_.size(), false);
  partitioned_count_ = 0;
  // N7: catch up from replica view mod N whatever P held; adopting its version is the
  // truncate_and_replay of SPEC §2 (docs/core-model.md fact 4).
  const std::shared_ptr<const StateVersion> source = replicas_[static_cast<size_t>(leader())].state_;
  for (Replica& r : replicas_) {
    if (r.commit_index() != source->index()) r.state_ = source;
  }
  check_leader_at_tip("heal");
  recompute_settled();
}

ProposeResult Cluster::propose(const Op& op) {
  if (settled_) {
    tip_->apply(op);
    return Committed(tip_->index());
  }
  if (!leader_check() || reachable_count() < quorum()) return Rejected;
  check_leader_at_tip("propose");
  // Step 3: reachable replicas below the leader (which is at the tip) adopt the tip. Copy on
  // diverge: partitioned replicas still at the tip share one frozen copy of it, made once.
  std::shared_ptr<const StateVersion> frozen;
  for (size_t id = 0; id < replicas_.size(); id++) {
    Replica& r = replicas_[id];
    if (!partitioned_[id]) {
      if (!holds_tip(r)) r.state_ = tip_;
    } else if (holds_tip(r)) {
      if (!frozen) frozen = std::make_shared<const FrozenState>(*tip_);
      r.state_ = frozen;
    }
  }
  // Step 4: one apply advances every reachable replica.
  tip_->apply(op);
  recompute_settled();
  return Committed(tip_->index());
}

ReadResult Cluster::read(const Bytes& key) {
  if (!leader_check() || reachable_count() < quorum()) return {ReadResult::Status::Rejected, {}};
  check_leader_at_tip("read");
  const Bytes* v = tip_->kv().find(key);
  if (v == nullptr) return {ReadResult::Status::Missing, {}};
  return {ReadResult::Status::Value, *v};
}

uint64_t Cluster::digest() const {
  uint64_t h = wire::FNV_OFFSET_BASIS;
  for (const Replica& r : replicas_) {
    std::shared_ptr<const std::vector<uint8_t>> s = r.state_->snapshot();  // cached per version
    h = wire::fnv1a64_update(h, s->data(), s->size());
  }
  return h;
}

size_t Cluster::distinct_states() const {
  std::unordered_set<const StateVersion*> seen;
  for (const Replica& r : replicas_) seen.insert(r.state_.get());
  return seen.size();
}

bool Cluster::leader_check() {
  if (!partitioned_[static_cast<size_t>(leader())]) return true;
  if (reachable_count() < quorum()) return false;
  do {
    ++view_;
  } while (partitioned_[static_cast<size_t>(leader())]);
  Replica& l = replicas_[static_cast<size_t>(leader())];
  const Replica* best = nullptr;
  for (size_t id = 0; id < replicas_.size(); id++) {
    // Strictly greater: the lowest id wins a tie.
    if (!partitioned_[id] && (best == nullptr || replicas_[id].commit_index() > best->commit_index())) best = &replicas_[id];
  }
  if (best->commit_index() > l.commit_index()) l.state_ = best->state_;
  return true;
}

void Cluster::check_leader_at_tip(const char* where) const {
  const Replica& l = replicas_[static_cast<size_t>(leader())];
  if (!holds_tip(l)) {
    throw std::logic_error(std::string(where) + ": leader " + std::to_string(l.id()) + " commit(" +
                           std::to_string(l.commit_index()) + ") != tip(" + std::to_string(tip_->index()) + ")");
  }
}

void Cluster::recompute_settled() {
  settled_ = partitioned_count_ == 0;
  for (size_t id = 0; settled_ && id < replicas_.size(); id++) settled_ = holds_tip(replicas_[id]);
}

}  // namespace db20::core

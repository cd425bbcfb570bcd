#include "db20/core.h"

#include <algorithm>
#include <cassert>
#include <unordered_map>
#include <unordered_set>

namespace db20::core {
using namespace wire::snapshot_format;

namespace {
void check_key(const Bytes& key) {
  if (key.size() < MIN_KEY_LEN)
    throw std::invalid_argument("key length 0 is below the minimum of 1 byte");
  if (key.size() > MAX_KEY_LEN) {
    throw std::invalid_argument("key length " + std::to_string(key.size()) +
                                " exceeds the limit of 65535 bytes");
  }
}

size_t entry_size(const Bytes& key, const Bytes& value) {
  return 2 * SIZE_LENGTH_PREFIX + key.size() + value.size();
}

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
  std::sort(out.begin(), out.end(), [](const MapEntry* a, const MapEntry* b) {
    return wire::bytes_less(a->first, b->first);
  });
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

std::optional<Bytes> Tip::get(const Bytes& key) const {
  const Bytes* v = kv_.find(key);
  if (v == nullptr) return std::nullopt;
  return *v;
}

std::shared_ptr<const std::vector<uint8_t>> Tip::snapshot() const {
  if (!snapshot_) {
    auto sorted = sorted_entries(kv_);
    snapshot_ = std::make_shared<const std::vector<uint8_t>>(wire::encode_snapshot(
        index_, sorted.size(), kv_.payload_bytes(), DerefRange<const MapEntry*>{sorted}));
  }
  return snapshot_;
}

void Tip::apply(const Op& op) {
  kv_.apply(op);
  ++index_;
  snapshot_.reset();
}

Frozen::Frozen(const Tip& tip)
    : payload_bytes_(tip.kv().payload_bytes()),
      index_(tip.index()),
      snapshot_(tip.cached_snapshot()) {
  // Sort pointers, then copy once in order: no string moves during the sort.
  auto sorted = sorted_entries(tip.kv());
  entries_.reserve(sorted.size());
  for (const MapEntry* e : sorted) entries_.emplace_back(e->first, e->second);
}

std::optional<Bytes> Frozen::get(const Bytes& key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const std::pair<Bytes, Bytes>& e, const Bytes& k) {
                               return wire::bytes_less(e.first, k);
                             });
  if (it == entries_.end() || it->first != key) return std::nullopt;
  return it->second;
}

void Frozen::check() const {
  size_t sum = 0;
  for (size_t i = 0; i < entries_.size(); i++) {
    if (i > 0 && !wire::bytes_less(entries_[i - 1].first, entries_[i].first)) {
      throw std::logic_error("frozen keys out of order at entry " + std::to_string(i));
    }
    sum += entry_size(entries_[i].first, entries_[i].second);
  }
  if (sum != payload_bytes_) {
    throw std::logic_error("frozen payload_bytes " + std::to_string(payload_bytes_) +
                           " != " + std::to_string(sum) + " recounted");
  }
  if (snapshot_ && snapshot_->size() != MIN_SNAPSHOT_SIZE + sum) {
    throw std::logic_error("frozen snapshot of " + std::to_string(snapshot_->size()) +
                           " bytes for payload " + std::to_string(sum));
  }
}

std::shared_ptr<const std::vector<uint8_t>> Frozen::snapshot() const {
  if (!snapshot_) {
    snapshot_ = std::make_shared<const std::vector<uint8_t>>(
        wire::encode_snapshot(index_, entries_.size(), payload_bytes_, entries_));
  }
  return snapshot_;
}

Cluster::Cluster(int n) : tip_(std::make_shared<Tip>()) {
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
  settled_ = compute_settled();
}

void Cluster::heal() {
  partitioned_.assign(replicas_.size(), false);
  partitioned_count_ = 0;
  // N7: catch up from replica view mod N whatever P held; adopting its version is the
  // truncate_and_replay of SPEC §2 (docs/core-model.md fact 4).
  const Replica& leader = replicas_[static_cast<size_t>(this->leader())];
  check_leader_at_tip(leader);
  const std::shared_ptr<const StateVersion> source = leader.state_;
  for (Replica& r : replicas_) {
    if (r.commit_index() != source->index()) r.adopt(source);
  }
  settled_ = compute_settled();
}

ProposeResult Cluster::propose(const Op& op) {
  if (!admit()) return Rejected;
  tip_->apply(op);
  return Committed(tip_->index());
}

// Propose's steps 1–3 (leader check, quorum, catch-up, copy on diverge): may the op commit?
bool Cluster::admit() {
  assert(aliases_hold() && "cluster aliases broken (Cluster::check prints them)");
  return (settled_ || prepare_unsettled()) && reachable_count() >= quorum();
}

// The steps of propose before the append when the cluster is not settled: the leader check, the
// quorum, catch-up of reachable replicas, and copy on diverge. False if the op is rejected.
bool Cluster::prepare_unsettled() {
  if (!leader_check() || reachable_count() < quorum()) {
    settled_ = compute_settled();
    return false;
  }
  // Step 3: a reachable replica behind the leader receives the missing entries; its state
  // becomes the leader's, which is the tip.
  for (size_t id = 0; id < replicas_.size(); id++) {
    if (!partitioned_[id] && !holds_tip(replicas_[id])) replicas_[id].adopt(tip_);
  }
  // Copy on diverge: a partitioned replica at the tip stays at this index while the tip moves
  // on, so it keeps one frozen copy, shared by every replica in the same position.
  std::shared_ptr<const StateVersion> frozen;
  for (size_t id = 0; id < replicas_.size(); id++) {
    if (partitioned_[id] && holds_tip(replicas_[id])) {
      if (!frozen) frozen = std::make_shared<const Frozen>(*tip_);
      replicas_[id].adopt(frozen);
    }
  }
  // Every reachable replica now holds the tip and no partitioned one does: the append advances
  // exactly the reachable replicas.
  settled_ = compute_settled();
  return true;
}

ReadResult Cluster::read(const Bytes& key) {
  assert(aliases_hold() && "cluster aliases broken (Cluster::check prints them)");
  if (!settled_) {
    bool ok = leader_check();
    settled_ = compute_settled();
    if (!ok) return {ReadResult::Status::Rejected, {}};
  }
  if (reachable_count() < quorum()) return {ReadResult::Status::Rejected, {}};
  std::optional<Bytes> v = replicas_[static_cast<size_t>(leader())].get(key);
  if (!v) return {ReadResult::Status::Missing, {}};
  return {ReadResult::Status::Value, std::move(*v)};
}

uint64_t Cluster::digest() const {
  uint64_t h = wire::FNV_OFFSET_BASIS;
  for (const Replica& r : replicas_) {
    std::shared_ptr<const std::vector<uint8_t>> s = r.state_->snapshot();  // cached per version
    h = wire::fnv1a64_update(h, s->data(), s->size());
  }
  return h;
}

void Cluster::check() const {
  if (!aliases_hold()) throw std::logic_error(alias_state());
  size_t payload = 0;
  for (const auto& [k, v] : tip_->kv().map()) payload += entry_size(k, v);
  if (payload != tip_->kv().payload_bytes()) {
    throw std::logic_error("tip payload_bytes " + std::to_string(tip_->kv().payload_bytes()) +
                           " != " + std::to_string(payload) + " recounted: " + alias_state());
  }
  std::unordered_map<uint64_t, const StateVersion*> by_index;
  for (const Replica& r : replicas_) {
    const StateVersion* v = r.state_.get();
    if (v != tip_.get()) {
      const auto* f = dynamic_cast<const Frozen*>(v);
      if (f == nullptr || f->index() >= tip_->index()) {
        throw std::logic_error("replica " + std::to_string(r.id()) + " holds a " +
                               (f ? "Frozen" : "foreign version") + " at " +
                               std::to_string(v->index()) + " with the tip at " +
                               std::to_string(tip_->index()) + ": " + alias_state());
      }
      try {
        f->check();
      } catch (const std::logic_error& e) {
        throw std::logic_error("replica " + std::to_string(r.id()) + ": " + e.what() + ": " +
                               alias_state());
      }
    }
    auto [it, inserted] = by_index.emplace(v->index(), v);
    if (!inserted && it->second != v) {
      throw std::logic_error("two versions at index " + std::to_string(v->index()) +
                             " (replicas share a version per index): " + alias_state());
    }
  }
}

size_t Cluster::distinct_states() const {
  std::unordered_set<const StateVersion*> seen;
  for (const Replica& r : replicas_) seen.insert(r.state_.get());
  return seen.size();
}

// The leader check of SPEC §3. Returns false when the leader is cut off and no quorum is
// reachable (nothing changes); otherwise makes sure the leader is reachable, changing the view
// and catching the new leader up from the most complete reachable replica when needed.
bool Cluster::leader_check() {
  if (!partitioned_[static_cast<size_t>(leader())]) {
    check_leader_at_tip(replicas_[static_cast<size_t>(leader())]);
    return true;
  }
  if (reachable_count() < quorum()) return false;
  do {
    ++view_;
  } while (partitioned_[static_cast<size_t>(leader())]);
  Replica& l = replicas_[static_cast<size_t>(leader())];
  const Replica* best = nullptr;
  for (size_t id = 0; id < replicas_.size(); id++) {
    // Strictly greater: the lowest id wins a tie.
    if (!partitioned_[id] &&
        (best == nullptr || replicas_[id].commit_index() > best->commit_index()))
      best = &replicas_[id];
  }
  if (best->commit_index() > l.commit_index()) l.adopt(best->state_);
  // Quorum intersection puts the most complete reachable replica at the tip (docs/core-model.md).
  check_leader_at_tip(l);
  return true;
}

// The cached aliases agree with what they cache: partitioned_count_ with partitioned_, settled_
// with compute_settled(), and the model's invariants hold (the leader, when reachable, at the
// tip; every replica at the tip's index holds the tip). O(N), for assertions.
bool Cluster::aliases_hold() const {
  int count = 0;
  for (size_t id = 0; id < replicas_.size(); id++) {
    count += partitioned_[id] ? 1 : 0;
    if ((replicas_[id].commit_index() == tip_->index()) != holds_tip(replicas_[id])) return false;
  }
  const size_t l = static_cast<size_t>(leader());
  return count == partitioned_count_ && settled_ == compute_settled() &&
         (partitioned_[l] || holds_tip(replicas_[l]));
}

// The state an alias assertion prints.
std::string Cluster::alias_state() const {
  std::string s = std::string("cluster aliases broken: settled=") + (settled_ ? "true" : "false") +
                  " (computed " + (compute_settled() ? "true" : "false") +
                  "), partitioned_count=" + std::to_string(partitioned_count_) +
                  ", view=" + std::to_string(view_) + ", tip=" + std::to_string(tip_->index()) +
                  ", replicas";
  for (size_t id = 0; id < replicas_.size(); id++) {
    s += " " + std::to_string(id) + (partitioned_[id] ? "(cut)" : "") + "@" +
         std::to_string(replicas_[id].commit_index()) + (holds_tip(replicas_[id]) ? "=tip" : "");
  }
  return s;
}

bool Cluster::compute_settled() const {
  if (partitioned_[static_cast<size_t>(leader())]) return false;
  for (size_t id = 0; id < replicas_.size(); id++) {
    if (partitioned_[id] == holds_tip(replicas_[id])) return false;
  }
  return true;
}

void Cluster::check_leader_at_tip(const Replica& leader) const {
  if (!holds_tip(leader)) {
    throw std::logic_error("leader " + std::to_string(leader.id()) + " commit(" +
                           std::to_string(leader.commit_index()) + ") is not at the tip(" +
                           std::to_string(tip_->index()) + ")");
  }
}

}  // namespace db20::core

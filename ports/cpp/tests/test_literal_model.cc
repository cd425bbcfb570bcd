// The model against SPEC §2–3 read literally, step by step (Java: LiteralModelTest). Literal
// keeps a log per replica and a state machine per replica, catches a replica up by copying the
// missing entries and applying them, and heals with truncate_and_replay (clear, copy the log,
// replay it): none of the model's shared versions, frozen copies or cached flags. Random
// schedules of puts, deletes, no-ops, reads, partitions of any subset (invalid ids included) and
// heals drive both; after every step every result, every replica's commit index and snapshot
// bytes, the view and the leader must agree, and Cluster::check() must pass (in every build
// type: assert() is off under NDEBUG). The same test exists in every port (ports/README.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "db20/core.h"
#include "db20/workload.h"

namespace db20::core {

// Reaches what Java's test reaches through package access: a replica's version, to break an
// invariant on purpose and see check() name it.
struct ClusterProbe {
  static std::shared_ptr<const StateVersion> state(const Cluster& c, int id) {
    return c.replicas_[static_cast<size_t>(id)].state_;
  }
  static void adopt(Cluster& c, int id, std::shared_ptr<const StateVersion> v) {
    c.replicas_[static_cast<size_t>(id)].adopt(std::move(v));
  }
  static const Tip& tip(const Cluster& c) { return *c.tip_; }
};

namespace {

using Sm = std::map<Bytes, Bytes, decltype(&wire::bytes_less)>;

// SPEC §2–3 as written: replicas with logs and state machines, a partitioned set, a view.
struct Literal {
  std::vector<std::vector<Op>> logs;
  std::vector<Sm> sms;
  std::vector<bool> partitioned;
  uint64_t view = 0;

  explicit Literal(int n)
      : logs(static_cast<size_t>(n)),
        sms(static_cast<size_t>(n), Sm(&wire::bytes_less)),
        partitioned(static_cast<size_t>(n), false) {}

  size_t n() const { return partitioned.size(); }
  size_t leader() const { return static_cast<size_t>(view % n()); }
  bool quorum() const {
    size_t reachable = 0;
    for (bool p : partitioned) reachable += p ? 0 : 1;
    return reachable >= n() / 2 + 1;
  }

  static void apply(Sm& sm, const Op& op) {
    if (op.kind() == Op::Kind::Put) sm[op.key()] = op.value();
    if (op.kind() == Op::Kind::Del) sm.erase(op.key());
  }

  // Appends the entries `to` lacks from `from`'s log and applies them.
  void catch_up(size_t to, size_t from) {
    for (size_t i = logs[to].size(); i < logs[from].size(); i++) {
      logs[to].push_back(logs[from][i]);
      apply(sms[to], logs[from][i]);
    }
  }

  bool leader_check() {
    if (!partitioned[leader()]) return true;
    if (!quorum()) return false;
    do {
      ++view;
    } while (partitioned[leader()]);
    size_t best = n();
    for (size_t id = 0; id < n(); id++) {
      if (!partitioned[id] && (best == n() || logs[id].size() > logs[best].size())) best = id;
    }
    catch_up(leader(), best);
    return true;
  }

  ProposeResult propose(const Op& op) {
    if (!leader_check() || !quorum()) return Rejected;
    for (size_t id = 0; id < n(); id++) {
      if (!partitioned[id]) catch_up(id, leader());
    }
    for (size_t id = 0; id < n(); id++) {
      if (!partitioned[id]) {
        logs[id].push_back(op);
        apply(sms[id], op);
      }
    }
    return Committed(logs[leader()].size());
  }

  ReadResult read(const Bytes& key) {
    if (!leader_check() || !quorum()) return {ReadResult::Status::Rejected, {}};
    auto it = sms[leader()].find(key);
    if (it == sms[leader()].end()) return {ReadResult::Status::Missing, {}};
    return {ReadResult::Status::Value, it->second};
  }

  void partition(const std::vector<uint64_t>& ids) {
    partitioned.assign(n(), false);
    for (uint64_t id : ids) partitioned[id] = true;
  }

  // Heal: clear the set; every replica whose commit differs truncates and replays the leader's
  // log.
  void heal() {
    partitioned.assign(n(), false);
    const std::vector<Op> source = logs[leader()];
    for (size_t id = 0; id < n(); id++) {
      if (logs[id].size() != source.size()) {
        logs[id] = source;
        Sm sm(&wire::bytes_less);
        for (const Op& op : source) apply(sm, op);
        sms[id] = std::move(sm);
      }
    }
  }

  std::vector<uint8_t> snapshot(size_t id) const {
    wire::SnapshotState s;
    s.commit_index = logs[id].size();
    for (const auto& [k, v] : sms[id]) s.entries.emplace_back(k, v);
    return wire::encode_snapshot(s);
  }
};

// 3,000, or DB20_LITERAL_SCHEDULES (Java: -Ddb20.literal.schedules).
uint64_t schedules() {
  const char* s = std::getenv("DB20_LITERAL_SCHEDULES");
  return s == nullptr ? 3000 : std::stoull(s);
}

std::string describe(const Op& op) {
  switch (op.kind()) {
    case Op::Kind::Put:
      return "Put(" + op.key() + ", " + op.value() + ")";
    case Op::Kind::Del:
      return "Del(" + op.key() + ")";
    default:
      return "NoOp";
  }
}

TEST(LiteralModel, EveryStepAgreesWithSpecSectionsTwoAndThreeReadLiterally) {
  const uint64_t count = schedules();
  workload::SplitMix64 seeds(0xdb201173);
  uint64_t commits = 0, rejections = 0, view_changes = 0;
  for (uint64_t s = 0; s < count; s++) {
    const uint64_t seed = seeds.next();
    workload::SplitMix64 r(seed);
    const int n = 1 + static_cast<int>(r.next() % 7);
    Cluster model(n);
    Literal literal(n);
    std::ostringstream steps;
    auto context = [&] {
      return "schedule " + std::to_string(s) + " (seed " + std::to_string(seed) + ", " +
             std::to_string(n) + " replicas) after" + steps.str();
    };
    for (int step = 0; step < 40; step++) {
      const uint64_t what = r.next() % 10;
      const std::string key = "k" + std::to_string(r.next() % 4);
      if (what < 4) {
        const Op op = what < 2    ? Op::put(key, "v" + std::to_string(step))
                      : what == 2 ? Op::del(key)
                                  : Op::noop();
        steps << " propose " << describe(op) << ";";
        const uint64_t view_before = literal.view;
        const ProposeResult expected = literal.propose(op);
        ASSERT_EQ(model.propose(op), expected) << "propose: " << context();
        (expected.committed ? commits : rejections)++;
        view_changes += literal.view != view_before ? 1 : 0;
      } else if (what < 6) {
        steps << " read " << key << ";";
        const ReadResult expected = literal.read(key);
        const ReadResult got = model.read(key);
        ASSERT_EQ(got.status, expected.status) << "read: " << context();
        ASSERT_EQ(got.value, expected.value) << "read: " << context();
      } else if (what < 9) {
        const uint64_t ids_count = r.next() % static_cast<uint64_t>(n + 1);
        const uint64_t bound = static_cast<uint64_t>(r.next() % 10 == 0 ? n + 2 : n);
        std::vector<uint64_t> ids;
        bool invalid = false;
        steps << " partition";
        for (uint64_t i = 0; i < ids_count; i++) {
          ids.push_back(r.next() % bound);
          invalid = invalid || ids.back() >= static_cast<uint64_t>(n);
          steps << " " << ids.back();
        }
        steps << ";";
        if (invalid) {
          ASSERT_THROW(model.partition(ids), std::invalid_argument) << context();
        } else {
          literal.partition(ids);
          model.partition(ids);
        }
      } else {
        steps << " heal;";
        literal.heal();
        model.heal();
      }
      try {
        model.check();
      } catch (const std::logic_error& e) {
        FAIL() << "check: " << e.what() << ": " << context();
      }
      ASSERT_EQ(model.view(), literal.view) << "view: " << context();
      ASSERT_EQ(static_cast<size_t>(model.leader()), literal.leader()) << "leader: " << context();
      for (int id = 0; id < n; id++) {
        const size_t i = static_cast<size_t>(id);
        ASSERT_EQ(model.replica(id).commit_index(), literal.logs[i].size())
            << "replica " << id << ": " << context();
        ASSERT_EQ(model.is_partitioned(id), literal.partitioned[i])
            << "replica " << id << ": " << context();
        ASSERT_EQ(model.replica(id).dump_state(), literal.snapshot(i))
            << "replica " << id << ": " << context();
      }
    }
  }
  // The schedules must reach the interesting cases, or agreement proves little.
  EXPECT_GT(commits, count * 5);
  EXPECT_GT(rejections, count / 5);
  EXPECT_GT(view_changes, count / 10);
}

std::string check_error(const Cluster& c) {
  try {
    c.check();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(LiteralModel, CheckNamesABrokenInvariant) {
  // check() must be able to fail: a replica made to hold a version from elsewhere breaks "a
  // replica at the tip's index holds the tip".
  Cluster c(3);
  c.propose(Op::put("a", "1"));
  EXPECT_EQ(check_error(c), "");
  ClusterProbe::adopt(c, 2, std::make_shared<const Frozen>(ClusterProbe::tip(c)));
  EXPECT_NE(check_error(c).find("replicas 0@1=tip 1@1=tip 2@1"), std::string::npos)
      << check_error(c);
}

TEST(LiteralModel, CheckNamesTwoVersionsAtOneIndex) {
  Cluster c(5);
  c.partition({3, 4});
  c.propose(Op::noop());
  EXPECT_EQ(check_error(c), "");
  Cluster other(1);
  ClusterProbe::adopt(c, 4, std::make_shared<const Frozen>(ClusterProbe::tip(other)));
  EXPECT_EQ(check_error(c).rfind("two versions at index 0", 0), 0u) << check_error(c);
}

}  // namespace
}  // namespace db20::core

// The thirteen numbered tests (named as in Java's NumberedTest), the golden digests and every
// conformance vector.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "db20/core.h"
#include "db20/script.h"
#include "db20/workload.h"
#include "test_helpers.h"

using db20::core::Cluster;
using db20::core::Committed;
using db20::core::Op;
using db20::core::ReadResult;
using db20::core::Rejected;
using db20::wire::hex;
namespace sf = db20::wire::snapshot_format;

namespace {

using db20::test::exists;
using db20::test::golden;
using db20::test::read_file;

// Every replica's snapshot is the canonical snapshot of entries (in key order) at commit, built
// here from the expected state (Java: assertEverySnapshotIs), not compared replica with replica.
void expect_every_snapshot_is(const Cluster& c, uint64_t commit,
                              std::vector<std::pair<std::string, std::string>> entries) {
  const std::vector<uint8_t> expected = db20::test::snapshot(std::move(entries), commit);
  for (int id = 0; id < c.size(); id++)
    EXPECT_EQ(hex(c.replica(id).dump_state()), hex(expected)) << "replica " << id;
}

}  // namespace

TEST(Numbered, Test01SingleReplicaPut) {
  Cluster c(1);
  EXPECT_EQ(c.quorum(), 1);
  EXPECT_EQ(c.propose(Op::put("a", "v")), Committed(1));
  ReadResult r = c.read("a");
  EXPECT_EQ(r.status, ReadResult::Status::Value);
  EXPECT_EQ(r.value, "v");
  EXPECT_EQ(hex(c.replica(0).dump_state()),
            "444232300100000001000000000000000100000001000000610100000076fdcf62bd");
}

TEST(Numbered, Test02FiveReplicaPutReachesAllFive) {
  Cluster c(5);
  EXPECT_EQ(c.propose(Op::put("a", "v")), Committed(1));
  for (int id = 0; id < 5; id++) {
    EXPECT_EQ(c.replica(id).commit_index(), 1u);
    EXPECT_EQ(c.replica(id).get("a"), std::optional<std::string>("v"));
  }
}

TEST(Numbered, Test03TwoOfFiveReachableRejectedNothingChanges) {
  Cluster c(5);
  c.propose(Op::put("a", "1"));
  std::vector<std::vector<uint8_t>> before;
  for (int id = 0; id < 5; id++) before.push_back(c.replica(id).dump_state());
  c.partition({2, 3, 4});
  EXPECT_EQ(c.propose(Op::put("b", "2")), Rejected);
  EXPECT_EQ(c.read("a").status, ReadResult::Status::Rejected);
  for (int id = 0; id < 5; id++) EXPECT_EQ(c.replica(id).dump_state(), before[id]) << id;
  EXPECT_EQ(c.view(), 0u);
}

TEST(Numbered, Test04ThreeOfFiveReachableCommitsPartitionedFollowersKeepZero) {
  Cluster c(5);
  c.partition({3, 4});
  EXPECT_EQ(c.propose(Op::put("a", "v")), Committed(1));
  for (int id = 0; id < 3; id++) EXPECT_EQ(c.replica(id).commit_index(), 1u);
  EXPECT_EQ(c.replica(3).commit_index(), 0u);
  EXPECT_EQ(c.replica(4).commit_index(), 0u);
  EXPECT_TRUE(c.is_partitioned(3));
  EXPECT_FALSE(c.is_partitioned(2));
}

TEST(Numbered, Test05HealAfterMutationsFiveIdenticalSnapshots) {
  Cluster c(5);
  c.partition({1, 4});
  c.propose(Op::put("a", "1"));
  c.propose(Op::put("b", "2"));
  c.propose(Op::del("a"));
  EXPECT_NE(c.replica(0).dump_state(), c.replica(4).dump_state());
  c.heal();
  expect_every_snapshot_is(c, 3, {{"b", "2"}});
  EXPECT_EQ(c.replica(4).commit_index(), 3u);
}

TEST(Numbered, Test06OrderedApplyOnAllFive) {
  Cluster c(5);
  EXPECT_EQ(c.propose(Op::put("a", "1")), Committed(1));
  EXPECT_EQ(c.propose(Op::put("b", "1")), Committed(2));
  EXPECT_EQ(c.propose(Op::del("a")), Committed(3));
  EXPECT_EQ(c.propose(Op::put("b", "2")), Committed(4));
  for (int id = 0; id < 5; id++) {
    const auto& r = c.replica(id);
    EXPECT_EQ(r.commit_index(), 4u);
    EXPECT_EQ(r.key_count(), 1u);
    EXPECT_FALSE(r.get("a").has_value());
    EXPECT_EQ(r.get("b"), std::optional<std::string>("2"));
  }
}

TEST(Numbered, Test07NoopAndAbsentDelCommitWithoutChangingMap) {
  Cluster c(3);
  c.propose(Op::put("a", "v"));
  EXPECT_EQ(c.propose(Op::noop()), Committed(2));
  EXPECT_EQ(c.propose(Op::del("absent")), Committed(3));
  for (int id = 0; id < 3; id++) {
    auto s = db20::wire::load_state(c.replica(id).dump_state());
    EXPECT_EQ(s.commit_index, 3u);
    EXPECT_EQ(s.entries.size(), 1u);
  }
}

TEST(Numbered, Test08ByteFormatOffsetsAndSpecVectors) {
  Cluster c(1);
  EXPECT_EQ(hex(c.replica(0).dump_state()), "444232300100000000000000000000000000000071239af8");
  c.propose(Op::put("a", "v"));
  std::vector<uint8_t> s = c.replica(0).dump_state();
  ASSERT_EQ(s.size(), 34u);
  auto field = [&](size_t from, size_t to) { return hex(s.data() + from, to - from); };
  EXPECT_EQ(field(sf::OFFSET_MAGIC, sf::OFFSET_VERSION), "44423230");
  EXPECT_EQ(field(sf::OFFSET_VERSION, sf::OFFSET_FLAGS), "0100");
  EXPECT_EQ(field(sf::OFFSET_FLAGS, sf::OFFSET_COMMIT_INDEX), "0000");
  EXPECT_EQ(field(sf::OFFSET_COMMIT_INDEX, sf::OFFSET_ENTRY_COUNT), "0100000000000000");
  EXPECT_EQ(field(sf::OFFSET_ENTRY_COUNT, sf::HEADER_SIZE), "01000000");
  EXPECT_EQ(field(sf::HEADER_SIZE, 30), "01000000610100000076");
  EXPECT_EQ(field(30, 34), "fdcf62bd");
}

TEST(Numbered, Test09Splitmix64Vectors) {
  db20::workload::SplitMix64 g(0);
  EXPECT_EQ(g.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(g.next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(g.next(), 0x06c45d188009454fULL);
}

TEST(Numbered, Test10WorkloadDecodePinned) {
  db20::workload::Workload w(0, 16);
  EXPECT_EQ(w.next_op(), Op::del("k4"));
  EXPECT_EQ(w.next_op(), Op::del("k11"));
  EXPECT_EQ(w.next_op(), Op::put("k12", std::string("\xe3\x0c\0\0\0\0\0\0", 8)));
  EXPECT_EQ(w.next_op(), Op::del("k9"));
  EXPECT_EQ(w.next_op(), Op::put("k15", std::string("\xe9\x0e\0\0\0\0\0\0", 8)));
}

TEST(Numbered, Test11LeaderCutOffViewChangeOldLeaderLagsUntilHeal) {
  Cluster c(5);
  c.propose(Op::put("a", "1"));
  c.partition({0});
  EXPECT_EQ(c.propose(Op::put("b", "2")), Committed(2));
  EXPECT_EQ(c.view(), 1u);
  EXPECT_EQ(c.leader(), 1);
  EXPECT_EQ(c.replica(0).commit_index(), 1u);
  EXPECT_EQ(c.replica(1).commit_index(), 2u);
  c.heal();
  EXPECT_EQ(c.replica(0).commit_index(), 2u);
  expect_every_snapshot_is(c, 2, {{"a", "1"}, {"b", "2"}});
}

TEST(Numbered, Test12LeaderCutOffWithoutQuorumRejectedViewUnchanged) {
  Cluster c(5);
  c.propose(Op::put("a", "1"));
  c.partition({0, 1, 2});
  EXPECT_EQ(c.propose(Op::put("b", "2")), Rejected);
  EXPECT_EQ(c.read("a").status, ReadResult::Status::Rejected);
  EXPECT_EQ(c.view(), 0u);
  EXPECT_EQ(c.leader(), 0);
}

TEST(Numbered, Test13TruncateAndReplayClearsStateAndRepeatedRoundsIdentical) {
  // The catch-up of SPEC §2 is adopting the source's state (docs/core-model.md): what must hold
  // is the observable result, the caught-up replica's snapshot equals the source's and keys
  // the source deleted while the replica was cut off are gone.
  Cluster stale(5);
  stale.propose(Op::put("stale", "x"));
  stale.propose(Op::put("kept", "1"));
  stale.partition({4});
  stale.propose(Op::del("stale"));
  stale.propose(Op::put("a", "1"));
  stale.propose(Op::put("kept", "2"));
  ASSERT_EQ(stale.replica(4).get("stale"), std::optional<std::string>("x"));
  stale.heal();
  EXPECT_FALSE(stale.replica(4).get("stale").has_value());
  EXPECT_EQ(stale.replica(4).get("kept"), std::optional<std::string>("2"));
  EXPECT_EQ(stale.replica(4).commit_index(), 5u);
  EXPECT_EQ(stale.replica(4).dump_state(), stale.replica(0).dump_state());

  Cluster c(5);
  std::vector<std::vector<uint64_t>> rounds = {{3, 4}, {0}, {1, 2}, {4}, {0, 1}};
  int index = 0;
  for (const auto& p : rounds) {
    c.partition(p);
    for (int i = 0; i < 7; i++) {
      EXPECT_TRUE(
          c.propose(Op::put("k" + std::to_string(i % 3), "r" + std::to_string(index++))).committed);
    }
    c.heal();
    // The round's last three puts, to k0, k1, k2 in turn, are what every replica holds.
    expect_every_snapshot_is(c, static_cast<uint64_t>(index),
                             {{"k0", "r" + std::to_string(index - 1)},
                              {"k1", "r" + std::to_string(index - 3)},
                              {"k2", "r" + std::to_string(index - 2)}});
  }
  EXPECT_EQ(c.replica(2).commit_index(), 35u);
}

// ---- the shared-state model (docs/core-model.md) ----

TEST(Model, ReplicasAtOneIndexShareOneVersion) {
  Cluster c(5);
  c.propose(Op::put("a", "1"));
  for (int id = 1; id < 5; id++) EXPECT_TRUE(c.shares_state(0, id)) << id;
  EXPECT_EQ(c.distinct_states(), 1u);
  c.partition({3, 4});
  c.propose(Op::put("b", "2"));
  // 3 and 4 were cut off at the tip: one freeze, shared by both.
  EXPECT_TRUE(c.shares_state(3, 4));
  EXPECT_FALSE(c.shares_state(0, 3));
  EXPECT_TRUE(c.shares_state(0, 2));
  EXPECT_EQ(c.distinct_states(), 2u);
  c.heal();
  EXPECT_EQ(c.distinct_states(), 1u);
  for (int id = 1; id < 5; id++) EXPECT_TRUE(c.shares_state(0, id)) << id;
}

TEST(Model, PartitionedReplicaKeepsItsSnapshotByteForByte) {
  Cluster c(5);
  db20::workload::Workload w(3, 50);
  for (int i = 0; i < 200; i++) c.propose(w.next_op());
  c.partition({1});
  const std::vector<uint8_t> before = c.replica(1).dump_state();
  for (int i = 0; i < 500; i++) {
    ASSERT_TRUE(c.propose(w.next_op()).committed);
    if (i % 97 == 0) {
      ASSERT_EQ(c.replica(1).dump_state(), before) << i;
    }
  }
  EXPECT_EQ(c.replica(1).dump_state(), before);
  EXPECT_EQ(c.replica(1).commit_index(), 200u);
  EXPECT_EQ(c.replica(0).commit_index(), 700u);
  EXPECT_NE(c.replica(0).dump_state(), before);
  // The frozen version decodes to the state it was frozen at.
  EXPECT_EQ(db20::wire::load_state(before).commit_index, 200u);
}

TEST(Model, MemoryDoesNotGrowWithOps) {
  // Distinct versions never exceed distinct commit indexes, and the tip holds at most the key
  // space, however many ops run and however often the partition changes.
  Cluster c(7);
  db20::workload::Workload w(11, 64);
  db20::workload::SplitMix64 g(5);
  for (int round = 0; round < 60; round++) {
    std::vector<uint64_t> p;
    for (uint64_t n = g.next() % 4; n > 0; n--) p.push_back(g.next() % 7);
    c.partition(p);
    for (int i = 0; i < 300; i++) c.propose(w.next_op());
    std::vector<uint64_t> indexes;
    for (int id = 0; id < 7; id++) indexes.push_back(c.replica(id).commit_index());
    std::sort(indexes.begin(), indexes.end());
    size_t distinct_indexes =
        static_cast<size_t>(std::unique(indexes.begin(), indexes.end()) - indexes.begin());
    ASSERT_LE(c.distinct_states(), distinct_indexes) << round;
    ASSERT_LE(c.replica(c.leader()).key_count(), 64u);
    if (round % 10 == 9) c.heal();
  }
  c.heal();
  EXPECT_EQ(c.distinct_states(), 1u);
  EXPECT_LE(w.cached_keys(), 64u);
}

TEST(Model, SnapshotOrderIsUnsignedBytewise) {
  Cluster c(1);
  c.propose(Op::put(std::string("\x80", 1), "hi"));
  c.propose(Op::put("a", "lo"));
  c.propose(Op::put("ab", "x"));
  auto s = db20::wire::load_state(c.replica(0).dump_state());
  ASSERT_EQ(s.entries.size(), 3u);
  EXPECT_EQ(s.entries[0].first, "a");
  EXPECT_EQ(s.entries[1].first, "ab");
  EXPECT_EQ(s.entries[2].first, std::string("\x80", 1));
  // A frozen copy sorts the same way.
  Cluster d(3);
  d.propose(Op::put(std::string("\xff", 1), "1"));
  d.propose(Op::put("z", "2"));
  d.partition({2});
  d.propose(Op::noop());
  EXPECT_EQ(db20::wire::load_state(d.replica(2).dump_state()).entries[0].first, "z");
}

TEST(Model, PayloadBytesTracksTheEntries) {
  Cluster c(3);
  db20::workload::Workload w(9, 40);
  for (int i = 0; i < 2000; i++) {
    c.propose(w.next_op());
    if (i % 50 == 0)
      c.propose(
          Op::put("long-key-" + std::to_string(i), std::string(static_cast<size_t>(i % 300), 'v')));
  }
  // The snapshot writer checks the payload size it is given against the entries it writes.
  auto s = db20::wire::load_state(c.replica(0).dump_state());
  size_t payload = 0;
  for (const auto& [k, v] : s.entries) payload += 8 + k.size() + v.size();
  EXPECT_EQ(c.replica(0).dump_state().size(), payload + 24);
}

TEST(Workload, CachedKeysAndValuesMatchTheDecoder) {
  for (uint64_t k : {uint64_t{1}, uint64_t{16}, uint64_t{1000}, uint64_t{1} << 21, UINT64_MAX}) {
    db20::workload::Workload w(77, k);
    db20::workload::SplitMix64 g(77);
    for (int i = 0; i < 3000; i++) {
      uint64_t r1 = g.next(), r2 = g.next(), r3 = g.next();
      ASSERT_EQ(w.next_op(), db20::workload::Workload::decode(r1, r2, r3, k)) << k << " " << i;
    }
    EXPECT_LE(w.cached_keys(), std::min<uint64_t>(k, db20::workload::Workload::MAX_CACHED_KEYS));
  }
}

TEST(Golden, ScenarioAThroughTheCoreApi) {
  Cluster c(5);
  db20::workload::Workload w(20, 16);
  for (int i = 0; i < 1000; i++) c.propose(w.next_op());
  EXPECT_EQ(db20::wire::digest_hex(c.digest()), golden("a"));
}

TEST(Golden, ScenarioBThroughTheScriptRunner) {
  db20::test::ScriptRun r = db20::test::run_script(db20::test::vector("scenario-b.txt"));
  EXPECT_EQ(r.error, "");
  std::string text = r.out;
  ASSERT_FALSE(text.empty());
  text.pop_back();
  EXPECT_EQ(text.substr(text.rfind('\n') + 1), "digest " + golden("b"));
}

// Every conformance vector, in-process: stdout byte for byte and the whole first stderr line.
TEST(Vectors, EveryVectorMatches) {
  const std::string dir = db20::test::vectors();
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".txt") == 0)
        names.push_back(n.substr(0, n.size() - 4));
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  int checked = 0;
  for (const std::string& name : names) {
    const std::string base = dir + "/" + name;
    bool is_error = exists(base + ".err");
    if (!is_error && !exists(base + ".out")) continue;
    checked++;
    const db20::test::ScriptRun run = db20::test::run_script(read_file(base + ".txt"));
    const std::string& error = run.error;
    std::string expected = exists(base + ".out") ? read_file(base + ".out") : "";
    EXPECT_EQ(run.out, expected) << name;
    if (is_error) {
      std::string line = read_file(base + ".err");
      line = line.substr(0, line.find('\n'));
      EXPECT_EQ(error, line) << name;
    } else {
      EXPECT_EQ(error, "") << name;
    }
  }
  EXPECT_GE(checked, 30);
}

// Runs every file of the committed seed corpus (and any files or directories given) through
// the fuzz properties, so the default build exercises them without clang or libFuzzer.
//   fuzz_replay CORPUS_DIR   (expects CORPUS_DIR/fuzz_snapshot and CORPUS_DIR/fuzz_script)
#include <dirent.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "db20/core.h"
#include "db20/script.h"
#include "db20/workload.h"
#include "targets.h"

namespace {

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(dir + "/" + n);
    }
    closedir(d);
  }
  return out;
}

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace

// docs/core-model.md: Workload::next_op allocates nothing once its caches are warm. This
// binary counts operator new calls, so the check lives here rather than in test_db20.
bool workload_hot_path_allocates_nothing() {
  for (uint64_t keys : {uint64_t{16}, uint64_t{100000}}) {
    db20::workload::Workload w(7, keys);
    for (int i = 0; i < 400000; i++) w.next_op();  // warm: every key and value seen
    uint64_t sum = 0;
    db20::fuzz::alloc_probe_reset();
    for (int i = 0; i < 100000; i++) sum += w.next_op().key().size();
    size_t allocations = db20::fuzz::alloc_probe_count();
    if (allocations != 0 || sum == 0) {
      std::fprintf(stderr,
                   "workload with %llu keys: %zu allocations in 100000 warm next_op calls\n",
                   static_cast<unsigned long long>(keys), allocations);
      return false;
    }
  }
  return true;
}

// docs/core-model.md "Fast path": a settled propose is one apply, so a 255-replica cluster
// commits warm workload ops in constant memory, whatever the op count. Not without allocating:
// std::unordered_map frees a key's node on Del and allocates one when the key is put again
// (about 0.19 allocations per op with 16 keys), so the bound is on live blocks: at most one
// more per key of the key space than before the run, at any moment.
bool settled_propose_runs_in_constant_memory() {
  constexpr uint64_t kKeys = 16;
  db20::core::Cluster c(255);
  db20::workload::Workload w(0, kKeys);
  for (int i = 0; i < 200000; i++) w.next_op();           // warm the workload: every key and value
  for (int i = 0; i < 1000; i++) c.propose(w.next_op());  // and the map: every key
  db20::fuzz::alloc_probe_reset();
  const size_t live_before = db20::fuzz::alloc_probe_live();
  uint64_t committed = 0;
  for (int i = 0; i < 100000; i++) committed += c.propose(w.next_op()).committed ? 1 : 0;
  const size_t peak = db20::fuzz::alloc_probe_peak_live();
  if (peak > live_before + kKeys || committed != 100000 || c.distinct_states() != 1) {
    std::fprintf(stderr,
                 "settled propose: peak %zu live blocks (%zu before), %llu committed of 100000\n",
                 peak, live_before, static_cast<unsigned long long>(committed));
    return false;
  }
  return true;
}

// The harness's ops budget (targets.h): the sum of the ops lines, CRLF and hex included.
bool over_budget_counts_every_ops_line() {
  struct Case {
    const char* script;
    bool over;
  };
  const Case cases[] = {
      {"cluster 1\nops 2500\nops 2500\n", false},
      {"cluster 1\nops 2500\nops 2501\n", true},
      {"cluster 1\r\nops 5001\r\n", true},
      {"cluster 1\nops 18446744073709551615\nops 2\n", true},
      {"cluster 1\nops 0x1389\n", true},
      {"cluster 1\nops 99999999999999999999999\nops 10\n", false},
  };
  for (const Case& k : cases) {
    const std::string s = k.script;
    if (db20::fuzz::over_budget(reinterpret_cast<const uint8_t*>(s.data()), s.size()) != k.over) {
      std::fprintf(stderr, "over_budget wrong for %s\n", db20::script::escape_token(s).c_str());
      return false;
    }
  }
  return true;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_replay CORPUS_DIR\n");
    return 2;
  }
  if (!workload_hot_path_allocates_nothing() || !settled_propose_runs_in_constant_memory() ||
      !over_budget_counts_every_ops_line()) {
    return 1;
  }
  const std::string root = argv[1];
  size_t runs = 0;
  for (const std::string& f : files_in(root + "/fuzz_snapshot")) {
    auto b = read_all(f);
    db20::fuzz::snapshot_one(b.data(), b.size());
    runs++;
  }
  size_t snapshots = runs;
  for (const std::string& f : files_in(root + "/fuzz_script")) {
    auto b = read_all(f);
    db20::fuzz::script_one(b.data(), b.size());
    runs++;
  }
  std::printf("fuzz_replay: %zu snapshot inputs, %zu script inputs, all properties hold\n",
              snapshots, runs - snapshots);
  // An empty corpus would make this test pass without testing anything.
  return snapshots > 0 && runs > snapshots ? 0 : 1;
}

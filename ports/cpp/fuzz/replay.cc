// Runs every file of the committed seed corpus (and any files or directories given) through
// the fuzz properties, so the default build exercises them without clang or libFuzzer.
//   fuzz_replay CORPUS_DIR   (expects CORPUS_DIR/fuzz_snapshot and CORPUS_DIR/fuzz_script)
#include <dirent.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

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
      std::fprintf(stderr, "workload with %llu keys: %zu allocations in 100000 warm next_op calls\n",
                   static_cast<unsigned long long>(keys), allocations);
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
  if (!workload_hot_path_allocates_nothing()) return 1;
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
  std::printf("fuzz_replay: %zu snapshot inputs, %zu script inputs, all properties hold\n", snapshots, runs - snapshots);
  // An empty corpus would make this test pass without testing anything.
  return snapshots > 0 && runs > snapshots ? 0 : 1;
}

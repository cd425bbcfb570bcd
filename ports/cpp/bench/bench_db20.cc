// The C++ twin of Java's ClusterBench, on <chrono> only:
//   cmake --build build-release --target bench_db20 && build-release/bench_db20
//   build-release/bench_db20 issue8     (the issue-8 script once, with its output)
// Prints the median of seven runs of each measurement.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <streambuf>
#include <vector>

#include "db20/core.h"
#include "db20/script.h"
#include "db20/workload.h"

namespace {

volatile uint64_t sink;  // keeps results alive so the optimiser cannot drop the work

template <typename F>
double median_ns(int calls, F f) {
  std::vector<double> runs;
  for (int r = 0; r < 7; r++) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; i++) f();
    std::chrono::duration<double, std::nano> d = std::chrono::steady_clock::now() - start;
    runs.push_back(d.count() / calls);
  }
  std::sort(runs.begin(), runs.end());
  return runs[3];
}

// The issue-8 script (a million ops over 100,000 keys with a partition), run once.
const char* const kIssue8 =
    "cluster 5\nseed 7\nkeys 100000\nops 600000\npartition 3 4\nops 200000\nheal\nops "
    "200000\ndigest\n";

double issue8_ms(std::string& output) {
  std::istringstream in(kIssue8);
  std::ostringstream out;
  auto start = std::chrono::steady_clock::now();
  db20::script::ScriptRunner(out).run(in);
  std::chrono::duration<double, std::milli> d = std::chrono::steady_clock::now() - start;
  output = out.str();
  return d.count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "issue8") {
    std::string output;
    double ms = issue8_ms(output);
    std::printf("%sissue-8 script                     %12.0f ms\n", output.c_str(), ms);
    return 0;
  }
  db20::core::Cluster c(5);
  db20::workload::Workload w(20, 10000);
  for (int i = 0; i < 40000; i++) c.propose(w.next_op());
  double propose = median_ns(200000, [&] { sink = sink + c.propose(w.next_op()).index; });

  db20::core::Cluster d(5);
  db20::workload::Workload w2(20, 10000);
  for (int i = 0; i < 40000; i++) d.propose(w2.next_op());
  double dump = median_ns(200, [&] { sink = sink + d.replica(0).dump_state().size(); });
  double digest = median_ns(50, [&] { sink = sink + d.digest(); });
  std::printf("propose (5 replicas, 10000 keys)   %12.0f ns/op\n", propose);
  std::printf("dump_state (10000 keys)            %12.0f ns/op\n", dump);
  std::printf("digest (5 x 10000 keys)            %12.0f ns/op\n", digest);
  // A digest with one replica frozen: two distinct states, each encoded once per version.
  d.partition({4});
  d.propose(w2.next_op());
  double digest_split = median_ns(50, [&] { sink = sink + d.digest(); });
  std::printf("digest, one replica behind        %12.0f ns/op\n", digest_split);
  return 0;
}

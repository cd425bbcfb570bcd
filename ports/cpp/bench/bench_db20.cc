// The C++ twin of Java's ClusterBench, on <chrono> only:
//   cmake --build build-release --target bench_db20 && build-release/bench_db20
// Prints the median of seven runs of each measurement.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "db20/core.h"
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

}  // namespace

int main() {
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
  return 0;
}

// Replaces the global operator new/delete in the fuzz binaries to record the largest single
// request, so the snapshot target can check that no allocation is driven by an unchecked
// length. Memory still comes from malloc (instrumented by ASan).
#include <cstdlib>
#include <new>

#include "targets.h"

namespace {
size_t largest = 0;  // the fuzz targets run one input at a time on one thread
size_t count = 0;
size_t live = 0;  // blocks allocated and not yet freed, since the program started
size_t peak_live = 0;

void* allocate(size_t n) {
  if (n > largest) largest = n;
  ++count;
  if (++live > peak_live) peak_live = live;
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

namespace db20::fuzz {
void alloc_probe_reset() {
  largest = 0;
  count = 0;
  peak_live = live;
}
size_t alloc_probe_live() { return live; }
size_t alloc_probe_peak_live() { return peak_live; }
size_t alloc_probe_count() { return count; }
size_t alloc_probe_largest() { return largest; }
}  // namespace db20::fuzz

void* operator new(size_t n) { return allocate(n); }
void* operator new[](size_t n) { return allocate(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
namespace {
void release(void* p) {
  if (p != nullptr) --live;
  std::free(p);
}
}  // namespace

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, size_t) noexcept { release(p); }
void operator delete[](void* p, size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

// The fuzz properties, shared by the libFuzzer targets (DB20_FUZZ=ON, clang) and by
// fuzz_replay, which runs the committed corpus through them in every build.
#ifndef DB20_FUZZ_TARGETS_H
#define DB20_FUZZ_TARGETS_H

#include <cstddef>
#include <cstdint>

namespace db20::fuzz {

// The strict reader: the input either decodes to a state that re-encodes to exactly the same
// bytes, or is refused with a SnapshotFormatError naming an offset within the input and its
// rule. No other exception, no allocation above kAllocPerByte * size + kAllocSlack bytes.
void snapshot_one(const uint8_t* data, size_t size);

// The script interpreter: any bytes either run or stop with "error line L: ..." (printable
// ASCII only); every replica's snapshot then reads back. No other exception.
void script_one(const uint8_t* data, size_t size);

// Workload ops a script input may ask for in all (its `ops` lines together) before script_one
// skips it: `ops 18446744073709551615` is a valid script that runs for ever in constant memory
// (time, not correctness). The runner has no limit of its own; Rust and Go skip the same way.
inline constexpr uint64_t kScriptOpsBudget = 5000;

// Whether the `ops` lines of the input ask for more than kScriptOpsBudget ops in all.
bool over_budget(const uint8_t* data, size_t size);

// The largest single allocation the reader may make for an input of `size` bytes: the entry
// vector is reserved from the checked count (at most size / 9 entries of sizeof(pair of
// strings)) and a refusal's message may quote two keys in hex. Nothing is sized by an
// unchecked length or count.
inline constexpr size_t kAllocPerByte = 8;
inline constexpr size_t kAllocSlack = 1024;

// Provided by alloc_probe.cc: the largest operator new request since the last reset.
void alloc_probe_reset();
size_t alloc_probe_largest();
size_t alloc_probe_count();      // operator new calls since the last reset
size_t alloc_probe_live();       // blocks allocated and not freed, since the program started
size_t alloc_probe_peak_live();  // the most blocks live at once since the last reset

}  // namespace db20::fuzz

#endif

#include "targets.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <optional>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "db20/core.h"
#include "db20/script.h"
#include "db20/wire.h"

namespace db20::fuzz {

namespace {

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what.c_str());
  std::abort();
}

// Output that is counted and dropped: a script may print far more than it reads.
class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

bool printable_ascii(const std::string& s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e)
      return false;
  }
  return true;
}

}  // namespace

void snapshot_one(const uint8_t* data, size_t size) {
  alloc_probe_reset();
  bool accepted = false;
  wire::SnapshotState state;
  try {
    state = wire::load_state(data, size);
    accepted = true;
  } catch (const wire::SnapshotFormatError& e) {
    if (e.offset() > size)
      violated("refusal offset " + std::to_string(e.offset()) + " past the input size " +
               std::to_string(size));
    const std::string prefix =
        "offset " + std::to_string(e.offset()) + ": " + wire::rule_text(e.rule()) + ": ";
    if (std::string(e.what()).rfind(prefix, 0) != 0)
      violated(std::string("refusal message: ") + e.what());
  }
  const size_t largest = alloc_probe_largest();
  if (largest > kAllocPerByte * size + kAllocSlack) {
    violated("allocation of " + std::to_string(largest) + " bytes for an input of " +
             std::to_string(size));
  }
  if (accepted) {
    std::vector<uint8_t> again = wire::encode_snapshot(state);
    if (again.size() != size || (size > 0 && std::memcmp(again.data(), data, size) != 0)) {
      violated("accepted input does not re-encode to the same bytes");
    }
  }
}

bool over_budget(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  uint64_t total = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string_view> t = script::tokenize(line);
    if (t.size() != 2 || t[0] != "ops") continue;
    std::optional<uint64_t> m = script::parse_u64(t[1]);
    if (m && (*m > kScriptOpsBudget - total)) return true;
    if (m) total += *m;
  }
  return false;
}

void script_one(const uint8_t* data, size_t size) {
  if (over_budget(data, size)) return;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  NullBuf sink;
  std::ostream out(&sink);
  script::ScriptRunner runner(out);
  try {
    runner.run(in);
  } catch (const script::ScriptError& e) {
    const std::string what = e.what();
    if (e.line() == 0 || what.rfind("error line " + std::to_string(e.line()) + ": ", 0) != 0) {
      violated("error line: " + what.substr(0, 200));
    }
    if (!printable_ascii(what))
      violated("raw bytes in the error line: " + script::escape_token(what));
  }
  // Anything else (a broken invariant's std::logic_error, an escaped std::invalid_argument)
  // leaves this function: libFuzzer reports it as a crash.
  const core::Cluster* c = runner.cluster();
  if (c == nullptr) return;
  std::set<std::vector<uint8_t>> seen;
  for (int id = 0; id < c->size(); id++) {
    std::vector<uint8_t> snap = c->replica(id).dump_state();
    if (!seen.insert(snap).second) continue;
    wire::SnapshotState s = wire::load_state(snap);
    if (s.commit_index != c->replica(id).commit_index() ||
        s.entries.size() != c->replica(id).key_count()) {
      violated("replica " + std::to_string(id) + " snapshot disagrees with its accessors");
    }
    if (s.commit_index > c->committed()) violated("replica ahead of the tip");
  }
}

}  // namespace db20::fuzz

#include "db20/script.h"

namespace db20::script {

std::string escape_token(std::string_view token) {
  static const char* digits = "0123456789abcdef";
  constexpr size_t kMaxShown = 64;
  const size_t shown = token.size() < kMaxShown ? token.size() : kMaxShown;
  std::string out;
  out.reserve(4 * shown + 24);
  for (size_t i = 0; i < shown; i++) {
    const auto b = static_cast<unsigned char>(token[i]);
    if (b == '\\') {
      out += "\\\\";
    } else if (b >= 0x21 && b <= 0x7e) {
      out.push_back(static_cast<char>(b));
    } else {
      out += "\\x";
      out.push_back(digits[b >> 4]);
      out.push_back(digits[b & 0xf]);
    }
  }
  if (token.size() > kMaxShown) out += "...(" + std::to_string(token.size()) + " bytes)";
  return out;
}

std::vector<std::string_view> tokenize(std::string_view line) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') i++;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

std::optional<uint64_t> parse_u64(std::string_view t) {
  unsigned radix = 10;
  if (t.size() > 2 && t[0] == '0' && t[1] == 'x') {
    radix = 16;
    t.remove_prefix(2);
  }
  if (t.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char ch : t) {
    unsigned d;
    if (ch >= '0' && ch <= '9') d = static_cast<unsigned>(ch - '0');
    else if (radix == 16 && ch >= 'a' && ch <= 'f') d = static_cast<unsigned>(ch - 'a' + 10);
    else if (radix == 16 && ch >= 'A' && ch <= 'F') d = static_cast<unsigned>(ch - 'A' + 10);
    else return std::nullopt;
    if (v > (UINT64_MAX - d) / radix) return std::nullopt;  // v * radix + d must fit
    v = v * radix + d;
  }
  return v;
}

void ScriptRunner::fail(const std::string& message) const { throw ScriptError(line_no_, message); }

void ScriptRunner::arity(const std::string& command, size_t got, size_t expected) const {
  if (got != expected) {
    fail("'" + command + "' expects " + std::to_string(expected) + (expected == 1 ? " argument" : " arguments") +
         ", got " + std::to_string(got));
  }
}

uint64_t ScriptRunner::number(std::string_view t) const {
  auto v = parse_u64(t);
  if (!v) fail("invalid number '" + escape_token(t) + "' (want decimal or 0x hex, at most 2^64-1)");
  return *v;
}

core::Cluster& ScriptRunner::need_cluster(const std::string& command) {
  if (!cluster_) fail("'" + command + "' before the first 'cluster'");
  return *cluster_;
}

int ScriptRunner::id(uint64_t raw) const {
  try {
    cluster_->check_id(raw);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  return static_cast<int>(raw);
}

void ScriptRunner::print_propose(const core::ProposeResult& r) {
  if (r.committed) out_ << "committed " << r.index << '\n';
  else out_ << "rejected\n";
}

void ScriptRunner::flush() {
  out_.flush();
  if (!out_) throw OutputError();
}

void ScriptRunner::run(std::istream& in) {
  std::string line;
  try {
    // getline also yields a last line without '\n'; N1/N13: one '\r' before the end goes.
    while (std::getline(in, line)) {
      line_no_++;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto tokens = tokenize(line);
      if (tokens.empty() || tokens[0][0] == '#') continue;
      execute(tokens);
      // A failed write (a full buffer flushed to /dev/full) sets the stream state: stop there.
      if (!out_) throw OutputError();
    }
  } catch (const ScriptError&) {
    flush();
    throw;
  }
  flush();
}

void ScriptRunner::execute(const std::vector<std::string_view>& tokens) {
  const std::string command(tokens[0]);
  const size_t nargs = tokens.size() - 1;
  auto arg = [&](size_t i) { return tokens[i + 1]; };
  if (command == "cluster") {
    arity(command, nargs, 1);
    uint64_t n = number(arg(0));
    if (n < 1 || n > 255) fail("cluster size " + std::to_string(n) + " out of range 1..255");
    cluster_ = std::make_unique<core::Cluster>(static_cast<int>(n));
  } else if (command == "seed") {
    arity(command, nargs, 1);
    workload_.set_seed(number(arg(0)));
  } else if (command == "keys") {
    arity(command, nargs, 1);
    uint64_t k = number(arg(0));
    if (k == 0) fail("key space 0 out of range (must be >= 1)");
    workload_.set_key_space(k);
  } else if (command == "ops") {
    arity(command, nargs, 1);
    uint64_t m = number(arg(0));
    core::Cluster& c = need_cluster(command);
    flush();  // N15: what earlier lines printed is out before a long run starts
    uint64_t committed = 0, rejected = 0;
    for (uint64_t i = 0; i < m; i++) {
      if (c.propose(workload_.next_op()).committed) committed++;
      else rejected++;
    }
    out_ << "ops committed=" << committed << " rejected=" << rejected << '\n';
  } else if (command == "put" || command == "del" || command == "noop") {
    arity(command, nargs, command == "put" ? 2 : command == "del" ? 1 : 0);
    core::Cluster& c = need_cluster(command);
    std::optional<core::Op> op;
    try {
      if (command == "put") op = core::Op::put(std::string(arg(0)), std::string(arg(1)));
      else if (command == "del") op = core::Op::del(std::string(arg(0)));
      else op = core::Op::noop();
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
    print_propose(c.propose(*op));
  } else if (command == "get") {
    arity(command, nargs, 1);
    core::ReadResult r = need_cluster(command).read(std::string(arg(0)));
    switch (r.status) {
      case core::ReadResult::Status::Value: out_ << "value " << wire::hex(r.value) << '\n'; break;
      case core::ReadResult::Status::Missing: out_ << "missing\n"; break;
      case core::ReadResult::Status::Rejected: out_ << "rejected\n"; break;
    }
  } else if (command == "partition") {
    std::vector<uint64_t> ids;
    for (size_t i = 0; i < nargs; i++) ids.push_back(number(arg(i)));
    core::Cluster& c = need_cluster(command);
    for (uint64_t raw : ids) id(raw);
    c.partition(ids);
  } else if (command == "heal" || command == "leader" || command == "digest") {
    arity(command, nargs, 0);
    core::Cluster& c = need_cluster(command);
    if (command == "heal") c.heal();
    else if (command == "leader") out_ << "leader " << c.leader() << " view=" << c.view() << '\n';
    else out_ << "digest " << wire::digest_hex(c.digest()) << '\n';
  } else if (command == "replica" || command == "snapshot") {
    arity(command, nargs, 1);
    uint64_t raw = number(arg(0));
    core::Cluster& c = need_cluster(command);
    int i = id(raw);
    const core::Replica& r = c.replica(i);
    if (command == "replica") {
      out_ << "replica " << i << " commit=" << r.commit_index() << " keys=" << r.key_count()
           << " partitioned=" << (c.is_partitioned(i) ? "true" : "false") << '\n';
    } else {
      out_ << "snapshot " << i << ' ' << wire::hex(r.dump_state()) << '\n';
    }
  } else {
    fail("unknown command '" + escape_token(tokens[0]) + "'");
  }
}

}  // namespace db20::script

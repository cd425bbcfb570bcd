#include "db20/script.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

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

std::string escape_kept(std::string_view kept, uint64_t full) {
  if (kept.size() == full) return escape_token(kept);
  if (kept.size() < kMaxWordLen) throw std::logic_error("escape_kept: too few bytes kept");
  return escape_token(kept.substr(0, kMaxWordLen)) + "...(" + std::to_string(full) + " bytes)";
}

bool TokenReader::fill() {
  if (pos_ < lim_) return true;
  pos_ = lim_ = 0;
  std::streamsize n = in_.rdbuf()->sgetn(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (n <= 0) return false;
  lim_ = static_cast<size_t>(n);
  return true;
}

bool TokenReader::next_line() {
  if (!line_ended_) skip_line();
  if (!fill()) return false;
  line_ended_ = false;
  return true;
}

void TokenReader::skip_line() {
  while (!line_ended_) {
    if (!fill()) {
      line_ended_ = true;
      return;
    }
    const char* at = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', lim_ - pos_));
    if (at) {
      pos_ = static_cast<size_t>(at - buf_.data()) + 1;
      line_ended_ = true;
    } else {
      pos_ = lim_;
    }
  }
}

// At a '\r': consumes it, and returns whether a '\n' (consumed too) or the end of the input
// follows, i.e. whether it ends the line (N1, N13).
bool TokenReader::cr_ends_line() {
  pos_++;
  if (!fill()) return true;
  if (buf_[pos_] == '\n') {
    pos_++;
    return true;
  }
  return false;
}

int64_t TokenReader::token(std::string& into, size_t keep, uint64_t limit) {
  into.clear();
  uint64_t n = 0;
  for (;;) {
    if (line_ended_) return kEndOfLine;
    if (!fill()) {
      line_ended_ = true;
      return kEndOfLine;
    }
    const char c = buf_[pos_];
    if (c == ' ' || c == '\t') {
      pos_++;
      continue;
    }
    if (c == '\n') {
      pos_++;
      line_ended_ = true;
      return kEndOfLine;
    }
    if (c == '\r') {
      if (cr_ends_line()) {
        line_ended_ = true;
        return kEndOfLine;
      }
      // The '\r' (consumed) is the token's first byte.
      n = 1;
      if (keep > 0) into.push_back('\r');
    }
    break;
  }
  for (;;) {
    if (!fill()) {
      line_ended_ = true;
      return static_cast<int64_t>(n);
    }
    // Raw pointers: this loop sees every byte of a huge line, in unoptimised builds too.
    const char* const b = buf_.data();
    size_t p = pos_;
    while (p < lim_) {
      const char c = b[p];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
      p++;
    }
    const size_t run = p - pos_;
    if (run > limit - n) {
      pos_ += static_cast<size_t>(limit - n) + 1;
      return kOverLimit;
    }
    if (into.size() < keep) into.append(buf_.data() + pos_, std::min(run, keep - into.size()));
    n += run;
    pos_ = p;
    if (p == lim_) continue;
    const char stop = buf_[p];
    if (stop == ' ' || stop == '\t') return static_cast<int64_t>(n);
    if (stop == '\n') {
      pos_++;
      line_ended_ = true;
      return static_cast<int64_t>(n);
    }
    if (cr_ends_line()) {
      line_ended_ = true;
      return static_cast<int64_t>(n);
    }
    // A '\r' not at the end of the line is a token byte.
    if (n >= limit) return kOverLimit;
    if (into.size() < keep) into.push_back('\r');
    n++;
  }
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
    if (ch >= '0' && ch <= '9')
      d = static_cast<unsigned>(ch - '0');
    else if (radix == 16 && ch >= 'a' && ch <= 'f')
      d = static_cast<unsigned>(ch - 'a' + 10);
    else if (radix == 16 && ch >= 'A' && ch <= 'F')
      d = static_cast<unsigned>(ch - 'A' + 10);
    else
      return std::nullopt;
    if (v > (UINT64_MAX - d) / radix) return std::nullopt;  // v * radix + d must fit
    v = v * radix + d;
  }
  return v;
}

void ScriptRunner::fail(const std::string& message) const { throw ScriptError(line_no_, message); }

void ScriptRunner::arity(const std::string& command, uint64_t got, size_t expected) const {
  if (got != expected) {
    fail("'" + command + "' expects " + std::to_string(expected) +
         (expected == 1 ? " argument" : " arguments") + ", got " + std::to_string(got));
  }
}

// A number token of full length `full`, kept in `t`: over 64 bytes it is invalid (N17).
uint64_t ScriptRunner::number(std::string_view t, uint64_t full) const {
  auto v = full > kMaxWordLen ? std::nullopt : parse_u64(t);
  if (!v)
    fail("invalid number '" + escape_kept(t, full) + "' (want decimal or 0x hex, at most 2^64-1)");
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
  if (r.committed)
    out_ << "committed " << r.index << '\n';
  else
    out_ << "rejected\n";
}

void ScriptRunner::flush() {
  out_.flush();
  if (!out_) throw OutputError();
}

void ScriptRunner::run(std::istream& in) {
  TokenReader reader(in);
  try {
    while (reader.next_line()) {
      line_no_++;
      int64_t n = reader.token(word_, kMaxWordLen, TokenReader::kNoLimit);
      if (n == TokenReader::kEndOfLine) continue;
      if (word_[0] == '#') {
        reader.skip_line();
        continue;
      }
      execute(reader, word_, n);
      // A failed write (a full buffer flushed to /dev/full) sets the stream state: stop there.
      if (!out_) throw OutputError();
    }
  } catch (const ScriptError&) {
    flush();
    throw;
  }
  flush();
}

// Reads the rest of the line as `command`'s arguments, each within its bound (N17): the key of
// put and del is refused past 65,535 bytes and the value of put past 1 MiB as soon as the bound
// is passed; the key of get is kept to 65,536 bytes (a longer key is missing whatever follows);
// a number is kept to 64 bytes; arguments past the arity are only counted; partition's ids are
// folded into a set as they come.
void ScriptRunner::read_args(TokenReader& reader, const std::string& command, size_t arity) {
  argc_ = 0;
  first_bad_id_.reset();
  std::fill(std::begin(partition_ids_), std::end(partition_ids_), false);
  const bool partition = command == "partition";
  std::string skipped;
  for (;;) {
    const int slot = argc_ < arity && argc_ < 2 ? static_cast<int>(argc_) : -1;
    std::string* into = &skipped;
    size_t keep = 0;
    uint64_t limit = TokenReader::kNoLimit;
    if (partition) {
      into = &args_[0];
      keep = kMaxWordLen;
    } else if (slot >= 0) {
      into = &args_[slot];
      if ((command == "put" || command == "del") && slot == 0) {
        keep = limit = wire::snapshot_format::MAX_KEY_LEN;
      } else if (command == "put" && slot == 1) {
        keep = limit = wire::snapshot_format::MAX_VALUE_LEN;
      } else if (command == "get") {
        keep = wire::snapshot_format::MAX_KEY_LEN + 1;
      } else {
        keep = kMaxWordLen;
      }
    }
    const int64_t n = reader.token(*into, keep, limit);
    if (n == TokenReader::kEndOfLine) return;
    if (n == TokenReader::kOverLimit) {
      if (slot == 0)
        fail("key length exceeds the limit of " +
             std::to_string(wire::snapshot_format::MAX_KEY_LEN) + " bytes");
      fail("value length exceeds the limit of " +
           std::to_string(wire::snapshot_format::MAX_VALUE_LEN) + " bytes");
    }
    argc_++;
    if (partition) {
      // Arity never fails for partition: the first bad number is the line's error.
      const uint64_t raw = number(args_[0], static_cast<uint64_t>(n));
      if (cluster_) {
        if (raw >= static_cast<uint64_t>(cluster_->size())) {
          if (!first_bad_id_) first_bad_id_ = raw;
        } else {
          partition_ids_[raw] = true;
        }
      }
    } else if (slot >= 0) {
      arg_len_[slot] = static_cast<uint64_t>(n);
    }
  }
}

namespace {
// The commands of SPEC §7 (Java: ScriptRunner.Command).
enum class Command {
  Cluster,
  Seed,
  Keys,
  Ops,
  Put,
  Del,
  Noop,
  Get,
  Partition,
  Heal,
  Leader,
  Replica,
  Snapshot,
  Digest
};

// One row of kCommands: a command's name, how many arguments it takes (SIZE_MAX: any number),
// whether they are all numbers, and whether it needs a cluster.
struct CommandSpec {
  Command command;
  const char* name;
  size_t arity;
  bool numeric_args;
  bool needs_cluster;
};

// Every command of SPEC §7 in one table (Java: ScriptRunner.Command). The checks of spec-notes
// N3 run from this table in its order: unknown command, arity, numbers, cluster.
constexpr CommandSpec kCommands[] = {
    {Command::Cluster, "cluster", 1, true, false},
    {Command::Seed, "seed", 1, true, false},
    {Command::Keys, "keys", 1, true, false},
    {Command::Ops, "ops", 1, true, true},
    {Command::Put, "put", 2, false, true},
    {Command::Del, "del", 1, false, true},
    {Command::Noop, "noop", 0, false, true},
    {Command::Get, "get", 1, false, true},
    {Command::Partition, "partition", SIZE_MAX, true, true},
    {Command::Heal, "heal", 0, false, true},
    {Command::Leader, "leader", 0, false, true},
    {Command::Replica, "replica", 1, true, true},
    {Command::Snapshot, "snapshot", 1, true, true},
    {Command::Digest, "digest", 0, false, true},
};
}  // namespace

void ScriptRunner::execute(TokenReader& reader, const std::string& word, int64_t word_len) {
  const CommandSpec* spec = nullptr;
  if (static_cast<uint64_t>(word_len) <= kMaxWordLen) {
    for (const CommandSpec& c : kCommands) {
      if (word == c.name) spec = &c;
    }
  }
  if (spec == nullptr)
    fail("unknown command '" + escape_kept(word, static_cast<uint64_t>(word_len)) + "'");
  const std::string command = spec->name;
  read_args(reader, command, spec->arity);
  if (spec->arity != SIZE_MAX) arity(command, argc_, spec->arity);
  uint64_t n[2] = {0, 0};
  if (spec->numeric_args && spec->command != Command::Partition) {
    for (size_t i = 0; i < spec->arity; i++) n[i] = number(args_[i], arg_len_[i]);
  }
  if (spec->needs_cluster) need_cluster(command);
  auto arg = [&](size_t i) { return std::string_view(args_[i]); };
  switch (spec->command) {
    case Command::Cluster:
      if (n[0] < 1 || n[0] > 255)
        fail("cluster size " + std::to_string(n[0]) + " out of range 1..255");
      cluster_ = std::make_unique<core::Cluster>(static_cast<int>(n[0]));
      break;
    case Command::Seed:
      workload_.set_seed(n[0]);
      break;
    case Command::Keys:
      if (n[0] == 0) fail("key space 0 out of range (must be >= 1)");
      workload_.set_key_space(n[0]);
      break;
    case Command::Ops: {
      flush();  // N15: what earlier lines printed is out before a long run starts
      uint64_t committed = 0, rejected = 0;
      for (uint64_t i = 0; i < n[0]; i++) {
        if (cluster_->propose(workload_.next_op()).committed)
          committed++;
        else
          rejected++;
      }
      out_ << "ops committed=" << committed << " rejected=" << rejected << '\n';
      break;
    }
    case Command::Put:
    case Command::Del:
    case Command::Noop: {
      std::optional<core::Op> op;
      // The bounds were checked as the key and value were read (N17).
      try {
        if (spec->command == Command::Put)
          op = core::Op::put(std::string(arg(0)), std::string(arg(1)));
        else if (spec->command == Command::Del)
          op = core::Op::del(std::string(arg(0)));
        else
          op = core::Op::noop();
      } catch (const std::invalid_argument& e) {
        fail(e.what());
      }
      print_propose(cluster_->propose(*op));
      break;
    }
    case Command::Get: {
      // N10, N17: an overlong key is missing; its first 65,536 bytes stand for it.
      core::ReadResult r = cluster_->read(std::string(arg(0)));
      switch (r.status) {
        case core::ReadResult::Status::Value:
          out_ << "value " << wire::hex(r.value) << '\n';
          break;
        case core::ReadResult::Status::Missing:
          out_ << "missing\n";
          break;
        case core::ReadResult::Status::Rejected:
          out_ << "rejected\n";
          break;
      }
      break;
    }
    case Command::Partition: {
      if (first_bad_id_) id(*first_bad_id_);
      std::vector<uint64_t> ids;
      for (uint64_t i = 0; i < 255; i++) {
        if (partition_ids_[i]) ids.push_back(i);
      }
      cluster_->partition(ids);
      break;
    }
    case Command::Heal:
      cluster_->heal();
      break;
    case Command::Leader:
      out_ << "leader " << cluster_->leader() << " view=" << cluster_->view() << '\n';
      break;
    case Command::Digest:
      out_ << "digest " << wire::digest_hex(cluster_->digest()) << '\n';
      break;
    case Command::Replica:
    case Command::Snapshot: {
      int i = id(n[0]);
      const core::Replica& r = cluster_->replica(i);
      if (spec->command == Command::Replica) {
        out_ << "replica " << i << " commit=" << r.commit_index() << " keys=" << r.key_count()
             << " partitioned=" << (cluster_->is_partitioned(i) ? "true" : "false") << '\n';
      } else {
        out_ << "snapshot " << i << ' ' << wire::hex(r.dump_state()) << '\n';
      }
      break;
    }
  }
}

}  // namespace db20::script

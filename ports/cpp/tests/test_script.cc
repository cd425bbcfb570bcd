// SPEC §7's error classes and the spec-notes readings (as in Java's ScriptRunnerTest).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "db20/script.h"
#include "test_helpers.h"

using db20::script::parse_u64;
using db20::script::ScriptError;
using db20::script::ScriptRunner;

namespace {

std::string run(const std::string& script) {
  db20::test::ScriptRun r = db20::test::run_script(script);
  EXPECT_EQ(r.error, "") << script.substr(0, 60);
  return r.out;
}

void fails(const std::string& script, uint64_t line, const std::string& message,
           const std::string& before) {
  db20::test::ScriptRun r = db20::test::run_script(script);
  EXPECT_EQ(r.error, "error line " + std::to_string(line) + ": " + message) << script.substr(0, 60);
  EXPECT_EQ(r.out, before);
}

const std::string kWant = " (want decimal or 0x hex, at most 2^64-1)";

}  // namespace

TEST(Script, UnknownCommand) {
  fails("cluster 1\nnoop\nfrobnicate 3\n", 3, "unknown command 'frobnicate'", "committed 1\n");
}

TEST(Script, WrongArity) {
  fails("cluster 3\nput a\n", 2, "'put' expects 2 arguments, got 1", "");
  fails("cluster 3\nget\n", 2, "'get' expects 1 argument, got 0", "");
}

TEST(Script, BadNumber) {
  fails("cluster five\n", 1, "invalid number 'five'" + kWant, "");
  fails("seed 0X10\n", 1, "invalid number '0X10'" + kWant, "");
  fails("seed 18446744073709551616\n", 1, "invalid number '18446744073709551616'" + kWant, "");
  EXPECT_EQ(parse_u64("0xFFFFffffFFFFffff"), UINT64_MAX);
  EXPECT_EQ(parse_u64("007"), 7u);
  EXPECT_FALSE(parse_u64("0x").has_value());
  EXPECT_FALSE(parse_u64("+1").has_value());
}

TEST(Script, IdOutOfRange) {
  fails("cluster 3\nreplica 3\n", 2, "replica id 3 out of range 0..2", "");
  fails("cluster 3\npartition 0 7\n", 2, "replica id 7 out of range 0..2", "");
}

TEST(Script, OpOverTheLimits) {
  fails("cluster 1\nput " + std::string(65536, 'k') + " v\n", 2,
        "key length exceeds the limit of 65535 bytes", "");
  fails("cluster 1\nput k " + std::string(1048577, 'v') + "\n", 2,
        "value length exceeds the limit of 1048576 bytes", "");
}

TEST(Script, CommandBeforeCluster) {
  fails("seed 1\nkeys 4\nput a b\n", 3, "'put' before the first 'cluster'", "");
}
TEST(Script, KeysZero) { fails("keys 0\n", 1, "key space 0 out of range (must be >= 1)", ""); }

TEST(Script, ClusterZeroAnd256) {
  fails("cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
  fails("cluster 256\n", 1, "cluster size 256 out of range 1..255", "");
}

TEST(Script, CrlfCommentsAndHashTokens) {
  EXPECT_EQ(run("# c\r\ncluster 1\r\nput a #b\r\nget a"), "committed 1\nvalue 2362\n");
}

TEST(Script, GetOfAnOverlongKeyIsMissing) {
  EXPECT_EQ(run("cluster 1\nget " + std::string(70000, 'k') + "\n"), "missing\n");
}

// N12: tokens in error lines are escaped and cut.
TEST(Script, EscapeToken) {
  using db20::script::escape_token;
  EXPECT_EQ(escape_token("abc~!"), "abc~!");
  EXPECT_EQ(escape_token(std::string("\0\x1b]0;t\x07", 7)), "\\x00\\x1b]0;t\\x07");
  EXPECT_EQ(escape_token("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_token("sp ace\x7f\x80\xff"), "sp\\x20ace\\x7f\\x80\\xff");
  EXPECT_EQ(escape_token(std::string(64, 'y')), std::string(64, 'y'));
  EXPECT_EQ(escape_token(std::string(65, 'y')), std::string(64, 'y') + "...(65 bytes)");
  // The cut counts input bytes, not escaped ones.
  EXPECT_EQ(escape_token(std::string(65, '\\')).size(), 128u + std::string("...(65 bytes)").size());
  EXPECT_EQ(escape_token(""), "");
}

TEST(Script, ErrorLinesEscapeTheirTokens) {
  fails(std::string("cluster 1\n\0\x1b]0;t\x07\n", 18), 2, "unknown command '\\x00\\x1b]0;t\\x07'",
        "");
  fails(
      "cluster 1\nops 12\xff"
      "3\n",
      2, "invalid number '12\\xff3'" + kWant, "");
}

// N13: a last line without '\n' that ends in '\r' loses that '\r' (and only one).
TEST(Script, LastLineCrWithoutNewline) {
  EXPECT_EQ(run("cluster 1\nput a v\nget a\r"), "committed 1\nvalue 76\n");
  fails("cluster 1\nnoop\r\r", 2, "unknown command 'noop\\x0d'", "");
}

// N15: before `ops` draws anything, what earlier lines printed has been flushed.
TEST(Script, OutputIsFlushedBeforeOps) {
  // Records, at each flush, how many bytes the stream had been given by then.
  class Recorder : public std::stringbuf {
   public:
    std::vector<std::string> at_flush;

   protected:
    int sync() override {
      at_flush.push_back(str());
      return 0;
    }
  } buf;
  std::ostream out(&buf);
  std::istringstream in("cluster 1\nput a v\nops 3\nnoop\nops 2\n");
  ScriptRunner(out).run(in);
  ASSERT_GE(buf.at_flush.size(), 2u);
  EXPECT_EQ(buf.at_flush[0], "committed 1\n");
  EXPECT_EQ(buf.at_flush[1], "committed 1\nops committed=3 rejected=0\ncommitted 5\n");
}

// N14 inside the runner: a stream that fails stops the run with OutputError.
TEST(Script, FailingOutputStopsTheRun) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  std::istringstream in("cluster 1\nnoop\nnoop\n");
  ScriptRunner runner(out);
  EXPECT_THROW(runner.run(in), db20::script::OutputError);
  ASSERT_NE(runner.cluster(), nullptr);
  EXPECT_EQ(runner.cluster()->committed(), 0u);  // stopped after line 1: no noop ran
}

namespace {

// Hands out one byte per read: every token and line end crosses a buffer end.
class Trickle : public std::streambuf {
 public:
  explicit Trickle(std::string s) : s_(std::move(s)) {}

 protected:
  std::streamsize xsgetn(char* out, std::streamsize n) override {
    if (n <= 0 || at_ == s_.size()) return 0;
    out[0] = s_[at_++];
    return 1;
  }
  int_type underflow() override {
    return at_ == s_.size() ? traits_type::eof() : traits_type::to_int_type(s_[at_]);
  }
  int_type uflow() override {
    return at_ == s_.size() ? traits_type::eof() : traits_type::to_int_type(s_[at_++]);
  }

 private:
  std::string s_;
  size_t at_ = 0;
};

}  // namespace

TEST(Script, GetOfAnOverlongKeyIsMissingWhateverFollows) {
  const std::string k(65535, 'k'), longer(70000, 'k');
  EXPECT_EQ(run("cluster 1\nput " + k + " v\nget " + k + "kk\nget " + k + "k\n"),
            "committed 1\nmissing\nmissing\n");
  fails("cluster 1\nget " + longer + " x\n", 2, "'get' expects 1 argument, got 2", "");
  EXPECT_EQ(run("cluster 3\npartition 1 2\nget " + longer + "\n"), "rejected\n");
}

TEST(Script, AKeyOrValuePastItsBoundIsRefusedBeforeTheRestOfTheLine) {
  const std::string long_key(65536, 'k'), v(1048576, 'v');
  const std::string key_error = "key length exceeds the limit of 65535 bytes";
  const std::string value_error = "value length exceeds the limit of 1048576 bytes";
  fails("put " + long_key + "\n", 1, key_error, "");
  fails("cluster 1\ndel " + long_key + " x y\n", 2, key_error, "");
  fails("cluster 1\nput k " + v + "v x\n", 2, value_error, "");
  EXPECT_EQ(run("cluster 1\nput k " + v + "\r\n"), "committed 1\n");
  fails("cluster 1\nput k " + v + "\rx\n", 2, value_error, "");
  fails("cluster 1\nput " + long_key + " " + v + "v\n", 2, key_error, "");
}

TEST(Script, ANumberOrCommandWordOver64BytesIsInvalidAndQuotedWithItsLength) {
  const std::string zeros(64, '0');
  EXPECT_EQ(run("cluster " + zeros.substr(1) + "1\n"), "");
  fails("cluster " + zeros + "1\n", 1, "invalid number '" + zeros + "...(65 bytes)'" + kWant, "");
  fails("cluster 1\n" + std::string(100000, 'x') + " a\n", 2,
        "unknown command '" + std::string(64, 'x') + "...(100000 bytes)'", "");
}

TEST(Script, PartitionFoldsItsIdsAsTheyAreRead) {
  std::string many = "cluster 3\npartition";
  for (int i = 0; i < 10000; i++) many += i % 2 == 0 ? " 1" : " 2";
  many += "\nput a b\nreplica 0\nreplica 1\n";
  EXPECT_EQ(run(many),
            "rejected\nreplica 0 commit=0 keys=0 partitioned=false\nreplica 1 commit=0 keys=0 "
            "partitioned=true\n");
  fails("cluster 3\npartition 1 7 x 9\n", 2, "invalid number 'x'" + kWant, "");
  fails("cluster 3\npartition 1 7 2 9\n", 2, "replica id 7 out of range 0..2", "");
  fails("partition 1 7 2 9\n", 1, "'partition' before the first 'cluster'", "");
}

TEST(Script, LineEndsAndCarriageReturnsReadTheSameAcrossReadBoundaries) {
  const std::string script = "cluster 1\r\nput a\rb v\r\r\n \r\n# x\r\nget a\rb\t\r\nget a\rb\r";
  const std::string want = "committed 1\nvalue 760d\nvalue 760d\n";
  Trickle buf(script);
  std::istream in(&buf);
  std::ostringstream out;
  ScriptRunner(out).run(in);
  EXPECT_EQ(out.str(), want);
  EXPECT_EQ(run(script), want);
  Trickle bad("cluster 1\n\r\r\n");
  std::istream bad_in(&bad);
  std::ostringstream ignored;
  try {
    ScriptRunner(ignored).run(bad_in);
    ADD_FAILURE() << "no error";
  } catch (const ScriptError& e) {
    EXPECT_EQ(std::string(e.what()), "error line 2: unknown command '\\x0d'");
  }
}

TEST(Script, ACommentLineOfAnyLengthIsSkipped) {
  std::string c;
  for (int i = 0; i < 300000; i++) c += "c \r";
  EXPECT_EQ(run("cluster 1\n#" + c + "\nput a b\n"), "committed 1\n");
  fails("cluster 1\n  #" + std::string(300000, 'c') + "\n\nbad\n", 4, "unknown command 'bad'", "");
}

// spec-notes N3 from the command table: unknown command, then arity, then numbers, then the
// cluster; each line is wrong in two ways and must report the earlier check.
TEST(Script, N3OrderOfChecks) {
  const std::string number = " (want decimal or 0x hex, at most 2^64-1)";
  fails("frob x y\n", 1, "unknown command 'frob'", "");
  fails("ops x y\n", 1, "'ops' expects 1 argument, got 2", "");
  fails("replica x\n", 1, "invalid number 'x'" + number, "");
  fails("partition 0 x\n", 1, "invalid number 'x'" + number, "");
  fails("heal 1\n", 1, "'heal' expects 0 arguments, got 1", "");
  fails("get\n", 1, "'get' expects 1 argument, got 0", "");
  fails("digest\n", 1, "'digest' before the first 'cluster'", "");
  fails("cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
}

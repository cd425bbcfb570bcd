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

void fails(const std::string& script, uint64_t line, const std::string& message, const std::string& before) {
  db20::test::ScriptRun r = db20::test::run_script(script);
  EXPECT_EQ(r.error, "error line " + std::to_string(line) + ": " + message) << script.substr(0, 60);
  EXPECT_EQ(r.out, before);
}

const std::string kWant = " (want decimal or 0x hex, at most 2^64-1)";

}  // namespace

TEST(Script, UnknownCommand) { fails("cluster 1\nnoop\nfrobnicate 3\n", 3, "unknown command 'frobnicate'", "committed 1\n"); }

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
  fails("cluster 1\nput " + std::string(65536, 'k') + " v\n", 2, "key length 65536 exceeds the limit of 65535 bytes", "");
  fails("cluster 1\nput k " + std::string(1048577, 'v') + "\n", 2,
        "value length 1048577 exceeds the limit of 1048576 bytes", "");
}

TEST(Script, CommandBeforeCluster) { fails("seed 1\nkeys 4\nput a b\n", 3, "'put' before the first 'cluster'", ""); }
TEST(Script, KeysZero) { fails("keys 0\n", 1, "key space 0 out of range (must be >= 1)", ""); }

TEST(Script, ClusterZeroAnd256) {
  fails("cluster 0\n", 1, "cluster size 0 out of range 1..255", "");
  fails("cluster 256\n", 1, "cluster size 256 out of range 1..255", "");
}

TEST(Script, CrlfCommentsAndHashTokens) {
  EXPECT_EQ(run("# c\r\ncluster 1\r\nput a #b\r\nget a"), "committed 1\nvalue 2362\n");
}

TEST(Script, GetOfAnOverlongKeyIsMissing) { EXPECT_EQ(run("cluster 1\nget " + std::string(70000, 'k') + "\n"), "missing\n"); }

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
  fails(std::string("cluster 1\n\0\x1b]0;t\x07\n", 18), 2, "unknown command '\\x00\\x1b]0;t\\x07'", "");
  fails("cluster 1\nops 12\xff" "3\n", 2, "invalid number '12\\xff3'" + kWant, "");
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

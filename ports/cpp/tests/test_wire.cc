// SPEC §4/§5 vectors, one test per strict-reader refusal, and seeded round trips.
#include <gtest/gtest.h>

#include "db20/wire.h"
#include "db20/workload.h"
#include "test_helpers.h"

using namespace db20::wire;

namespace {

using db20::test::fix_crc;
using db20::test::snapshot;

void expect_refused(const std::vector<uint8_t>& b, Rule rule, size_t offset) {
  try {
    load_state(b);
    ADD_FAILURE() << "accepted";
  } catch (const SnapshotFormatError& e) {
    EXPECT_EQ(e.rule(), rule) << e.what();
    EXPECT_EQ(e.offset(), offset) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("offset " + std::to_string(offset) + ": ", 0), 0u)
        << e.what();
  }
  // The stream reader (check FILE, N18) refuses the same bytes the same way.
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  if (!b.empty()) {
    ASSERT_EQ(std::fwrite(b.data(), 1, b.size(), f), b.size());
  }
  std::rewind(f);
  try {
    validate_snapshot_stream(f, b.size());
    ADD_FAILURE() << "stream accepted";
  } catch (const SnapshotFormatError& e) {
    EXPECT_EQ(e.rule(), rule) << e.what();
    EXPECT_EQ(e.offset(), offset) << e.what();
  }
  std::fclose(f);
}

}  // namespace

TEST(StreamReader, AcceptsWhatLoadStateAcceptsAndAShortStreamIsAReadError) {
  auto b = snapshot({{"a", "1"}, {"ab", ""}, {"b", "xyz"}});
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(b.data(), 1, b.size(), f), b.size());
  std::rewind(f);
  SnapshotSummary s = validate_snapshot_stream(f, b.size());
  EXPECT_EQ(s.commit_index, 7u);
  EXPECT_EQ(s.entry_count, 3u);
  EXPECT_EQ(s.crc, get_u32_le(b.data() + b.size() - 4));
  std::fclose(f);
  // A stream shorter than its stated size is a read failure, not a refusal.
  f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(b.data(), 1, 10, f), 10u);
  std::rewind(f);
  EXPECT_THROW(validate_snapshot_stream(f, b.size()), SnapshotReadError);
  std::fclose(f);
}

TEST(Wire, SpecVectors) {
  EXPECT_EQ(crc32c(std::string("123456789")), 0xE3069283u);
  EXPECT_EQ(digest_hex(fnv1a64("")), "cbf29ce484222325");
  EXPECT_EQ(digest_hex(fnv1a64("a")), "af63dc4c8601ec8c");
  EXPECT_EQ(hex(snapshot({}, 0)), "444232300100000000000000000000000000000071239af8");
  EXPECT_EQ(hex(snapshot({{"a", "v"}}, 1)),
            "444232300100000001000000000000000100000001000000610100000076fdcf62bd");
}

TEST(Wire, OffsetsAddUp) {
  namespace sf = snapshot_format;
  EXPECT_EQ(sf::OFFSET_VERSION, 4u);
  EXPECT_EQ(sf::OFFSET_FLAGS, 6u);
  EXPECT_EQ(sf::OFFSET_COMMIT_INDEX, 8u);
  EXPECT_EQ(sf::OFFSET_ENTRY_COUNT, 16u);
  EXPECT_EQ(sf::HEADER_SIZE, 20u);
  EXPECT_EQ(sf::MIN_SNAPSHOT_SIZE, 24u);
}

TEST(Wire, LittleEndianHelpers) {
  uint8_t b[8];
  put_u64_le(b, 0x0102030405060708ULL);
  EXPECT_EQ(hex(b, 8), "0807060504030201");
  EXPECT_EQ(get_u64_le(b), 0x0102030405060708ULL);
  put_u32_le(b, 0xfdcf62bdu);
  EXPECT_EQ(hex(b, 4), "bd62cffd");
  EXPECT_EQ(get_u32_le(b), 0xfdcf62bdu);
  put_u16_le(b, 0xbeef);
  EXPECT_EQ(hex(b, 2), "efbe");
  EXPECT_EQ(get_u16_le(b), 0xbeef);
}

TEST(Refusal, WrongMagic) {
  auto b = snapshot({});
  b[0] = 'X';
  expect_refused(fix_crc(b), Rule::BadMagic, 0);
}
TEST(Refusal, UnknownVersion) {
  auto b = snapshot({});
  b[4] = 2;
  expect_refused(fix_crc(b), Rule::UnknownVersion, 4);
}
TEST(Refusal, NonzeroFlags) {
  auto b = snapshot({});
  b[6] = 1;
  expect_refused(fix_crc(b), Rule::NonzeroFlags, 6);
}

TEST(Refusal, BufferEndsEarly) {
  auto full = snapshot({{"a", "v"}});
  expect_refused({}, Rule::Truncated, 0);
  expect_refused(std::vector<uint8_t>(full.begin(), full.begin() + 3), Rule::Truncated, 0);
  expect_refused(std::vector<uint8_t>(full.begin(), full.begin() + 12), Rule::Truncated, 8);
  expect_refused(std::vector<uint8_t>(full.begin(), full.end() - 1), Rule::Truncated, 30);
}

TEST(Refusal, TwentyToTwentyThreeBytesAtTheEntryCount) {
  // SPEC §4.0 step 5: 24 + 9n bytes, n = 0 included; the CRC is never reached.
  auto empty = snapshot({});
  for (size_t size = 20; size < 24; size++) {
    expect_refused(std::vector<uint8_t>(empty.begin(), empty.begin() + size), Rule::LengthPastEnd,
                   16);
  }
}

TEST(Refusal, EntryCountPastEnd) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 16, 0xFFFFFFFFu);
  expect_refused(fix_crc(b), Rule::LengthPastEnd, 16);
}

TEST(Refusal, KeyLengthPastEnd) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 60000);
  expect_refused(fix_crc(b), Rule::LengthPastEnd, 20);
}

TEST(Refusal, ValueLengthPastEnd) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 25, 1000000);
  expect_refused(fix_crc(b), Rule::LengthPastEnd, 25);
}

TEST(Refusal, EmptyKey) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 0);
  expect_refused(fix_crc(b), Rule::EmptyKey, 20);
}

TEST(Refusal, KeyOverLimit) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 20, 65536);
  expect_refused(fix_crc(b), Rule::KeyTooLong, 20);
}

TEST(Refusal, ValueOverLimit) {
  auto b = snapshot({{"a", "v"}});
  put_u32_le(b.data() + 25, 1048577);
  expect_refused(fix_crc(b), Rule::ValueTooLong, 25);
}

TEST(Refusal, KeysOutOfOrder) {
  auto b = snapshot({{"a", "1"}, {"b", "2"}});
  b[24] = 'c';
  expect_refused(fix_crc(b), Rule::KeysOutOfOrder, 30);
}

TEST(Refusal, RepeatedKey) {
  auto b = snapshot({{"a", "1"}, {"b", "2"}});
  b[34] = 'a';
  expect_refused(fix_crc(b), Rule::DuplicateKey, 30);
}

TEST(Refusal, BytesAfterTheCrc) {
  auto b = snapshot({{"a", "v"}});
  b.push_back(0);
  expect_refused(b, Rule::TrailingBytes, 34);
}

TEST(Refusal, CrcMismatch) {
  auto b = snapshot({{"a", "v"}}, 1);
  b[29] ^= 1;
  expect_refused(b, Rule::CrcMismatch, 30);
}

TEST(Wire, SeededRoundTripAndBitFlips) {
  db20::workload::SplitMix64 g(2026);
  for (int round = 0; round < 300; round++) {
    std::map<std::string, std::string> m;
    for (uint64_t i = 0, n = g.next() % 20; i < n; i++) {
      std::string k(1 + g.next() % 6, '\0');
      for (char& ch : k) ch = static_cast<char>(g.next());
      std::string v(g.next() % 10, '\0');
      for (char& ch : v) ch = static_cast<char>(g.next());
      m[k] = v;
    }
    SnapshotState s;
    s.commit_index = g.next();
    s.entries.assign(m.begin(), m.end());
    auto b = encode_snapshot(s);
    EXPECT_EQ(load_state(b), s);
    uint64_t bit = g.next() % (b.size() * 8);
    b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_THROW(load_state(b), SnapshotFormatError) << "bit " << bit;
  }
}

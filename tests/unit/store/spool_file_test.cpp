#include "spool_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace callcenterd::store::detail {
namespace {

using callcenterd::testing::temp_dir;

std::vector<std::string_view> views(const std::vector<std::string>& strings) {
  return {strings.begin(), strings.end()};
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::string> read_all(spool_file& spool, std::size_t* corrupt = nullptr) {
  spool_read_batch batch;
  EXPECT_FALSE(spool.blocking_read(0, spool.size(), 1'000'000, batch));
  EXPECT_EQ(batch.next_offset, spool.size());
  if (corrupt) *corrupt = batch.corrupt_records;
  return batch.payloads;
}

TEST(spool_format, crc32_is_the_standard_ieee_polynomial) {
  EXPECT_EQ(spool_crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(spool_crc32(""), 0U);
}

TEST(spool_format, record_is_little_endian_length_then_crc_then_payload) {
  std::string out;
  append_spool_record(out, "abc");
  ASSERT_EQ(out.size(), spool_header_size + 3);
  EXPECT_EQ(out.substr(0, 4), std::string("\x03\x00\x00\x00", 4));
  const std::uint32_t crc = spool_crc32("abc");  // 0x352441c2
  EXPECT_EQ(static_cast<unsigned char>(out[4]), crc & 0xff);
  EXPECT_EQ(static_cast<unsigned char>(out[7]), crc >> 24);
  EXPECT_EQ(out.substr(8), "abc");
}

TEST(spool_file, round_trip_keeps_order_across_appends_and_reopen) {
  temp_dir dir;
  const auto path = dir.path() / "sub" / "events.spool";
  const std::vector<std::string> first{"one", "two"};
  const std::vector<std::string> second{"three", std::string(3000, 'x'), "five"};
  {
    spool_file spool;
    spool_open_report report;
    ASSERT_FALSE(spool.blocking_open(path, report));
    EXPECT_EQ(report.size, 0U);
    ASSERT_FALSE(spool.blocking_append(views(first)));
    ASSERT_FALSE(spool.blocking_append(views(second)));
    EXPECT_EQ(spool.size(), std::filesystem::file_size(path));
  }
  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(path, report));
  EXPECT_EQ(report.records, 5U);
  EXPECT_EQ(report.cut_bytes, 0U);
  EXPECT_EQ(report.corrupt_records, 0U);
  const std::vector<std::string> expected{"one", "two", "three", std::string(3000, 'x'), "five"};
  EXPECT_EQ(read_all(spool), expected);
}

TEST(spool_file, read_stops_at_max_records_and_at_the_limit) {
  temp_dir dir;
  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(dir.path() / "s", report));
  ASSERT_FALSE(spool.blocking_append(views({"a", "bb", "ccc"})));
  const std::uint64_t after_three = spool.size();
  ASSERT_FALSE(spool.blocking_append(views({"dddd"})));

  spool_read_batch batch;
  ASSERT_FALSE(spool.blocking_read(0, spool.size(), 2, batch));
  EXPECT_EQ(batch.payloads, (std::vector<std::string>{"a", "bb"}));
  ASSERT_FALSE(spool.blocking_read(batch.next_offset, after_three, 10, batch));
  EXPECT_EQ(batch.payloads, (std::vector<std::string>{"ccc"}));
  EXPECT_EQ(batch.next_offset, after_three);
  ASSERT_FALSE(spool.blocking_read(batch.next_offset, spool.size(), 10, batch));
  EXPECT_EQ(batch.payloads, (std::vector<std::string>{"dddd"}));
}

TEST(spool_file, reads_records_larger_than_one_read_chunk) {
  temp_dir dir;
  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(dir.path() / "s", report));
  const std::string big(3 * 1024 * 1024 + 7, 'b');
  ASSERT_FALSE(spool.blocking_append(views({"small", big, "tail"})));
  EXPECT_EQ(read_all(spool), (std::vector<std::string>{"small", big, "tail"}));
}

TEST(spool_file, torn_tail_is_cut_on_open_and_appends_continue_after_it) {
  temp_dir dir;
  const auto path = dir.path() / "events.spool";
  std::string bytes;
  append_spool_record(bytes, "first");
  append_spool_record(bytes, "second");
  const std::size_t good = bytes.size();
  std::string torn;
  append_spool_record(torn, "third-never-finished");
  bytes += torn.substr(0, torn.size() - 5);  // the crash hit mid-payload
  write_bytes(path, bytes);

  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(path, report));
  EXPECT_EQ(report.records, 2U);
  EXPECT_EQ(report.cut_bytes, bytes.size() - good);
  EXPECT_EQ(std::filesystem::file_size(path), good);
  ASSERT_FALSE(spool.blocking_append(views({"after"})));
  EXPECT_EQ(read_all(spool), (std::vector<std::string>{"first", "second", "after"}));
}

TEST(spool_file, torn_header_and_zero_filled_tail_are_cut) {
  for (const std::string& tail : {std::string("\x05\x00\x00", 3), std::string(64, '\0')}) {
    temp_dir dir;
    const auto path = dir.path() / "events.spool";
    std::string bytes;
    append_spool_record(bytes, "kept");
    const std::size_t good = bytes.size();
    write_bytes(path, bytes + tail);
    spool_file spool;
    spool_open_report report;
    ASSERT_FALSE(spool.blocking_open(path, report));
    EXPECT_EQ(report.cut_bytes, tail.size());
    EXPECT_EQ(spool.size(), good);
    EXPECT_EQ(read_all(spool), (std::vector<std::string>{"kept"}));
  }
}

TEST(spool_file, bad_checksum_in_the_middle_skips_only_that_record) {
  temp_dir dir;
  const auto path = dir.path() / "events.spool";
  std::string bytes;
  append_spool_record(bytes, "one");
  const std::size_t second_at = bytes.size();
  append_spool_record(bytes, "two");
  append_spool_record(bytes, "three");
  bytes[second_at + spool_header_size] = 'T';  // flip a payload byte of "two"
  write_bytes(path, bytes);

  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(path, report));
  EXPECT_EQ(report.records, 2U);
  EXPECT_EQ(report.corrupt_records, 1U);
  EXPECT_EQ(report.cut_bytes, 0U);
  std::size_t corrupt = 0;
  EXPECT_EQ(read_all(spool, &corrupt), (std::vector<std::string>{"one", "three"}));
  EXPECT_EQ(corrupt, 1U);
}

TEST(spool_file, bad_checksum_on_the_last_record_counts_as_torn) {
  temp_dir dir;
  const auto path = dir.path() / "events.spool";
  std::string bytes;
  append_spool_record(bytes, "one");
  const std::size_t good = bytes.size();
  append_spool_record(bytes, "two");
  bytes.back() = '?';
  write_bytes(path, bytes);

  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(path, report));
  EXPECT_EQ(report.records, 1U);
  EXPECT_EQ(report.cut_bytes, bytes.size() - good);
  EXPECT_EQ(file_bytes(path).size(), good);
}

TEST(spool_file, truncate_empties_the_file) {
  temp_dir dir;
  const auto path = dir.path() / "events.spool";
  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(path, report));
  ASSERT_FALSE(spool.blocking_append(views({"a", "b"})));
  ASSERT_FALSE(spool.blocking_truncate());
  EXPECT_EQ(spool.size(), 0U);
  EXPECT_EQ(std::filesystem::file_size(path), 0U);
  ASSERT_FALSE(spool.blocking_append(views({"c"})));
  EXPECT_EQ(read_all(spool), (std::vector<std::string>{"c"}));
}

TEST(spool_file, empty_payload_is_refused_and_leaves_the_file_unchanged) {
  temp_dir dir;
  spool_file spool;
  spool_open_report report;
  ASSERT_FALSE(spool.blocking_open(dir.path() / "s", report));
  ASSERT_FALSE(spool.blocking_append(views({"a"})));
  const auto before = spool.size();
  const store_error failure = spool.blocking_append(views({"b", ""}));
  EXPECT_EQ(failure.code, spool_errc::io_failed);
  EXPECT_EQ(spool.size(), before);
  EXPECT_EQ(read_all(spool), (std::vector<std::string>{"a"}));
}

TEST(spool_file, open_fails_cleanly_when_the_path_is_a_directory) {
  temp_dir dir;
  spool_file spool;
  spool_open_report report;
  const store_error failure = spool.blocking_open(dir.path(), report);
  EXPECT_EQ(failure.code, spool_errc::io_failed);
  EXPECT_NE(failure.message.find(dir.path().string()), std::string::npos);
}

}  // namespace
}  // namespace callcenterd::store::detail

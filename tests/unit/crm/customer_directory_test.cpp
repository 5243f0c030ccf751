// The in-memory caller lookup: puts, moves, erases, raw caller numbers, concurrent readers.
#include "callcenterd/crm/customer_directory.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace callcenterd::crm {
namespace {

customer make(std::string id, std::string name, std::vector<std::string> numbers, int vip = 0) {
  customer c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.vip_level = vip;
  c.tags = {"t"};
  for (auto& n : numbers) c.phones.push_back({std::move(n), ""});
  return c;
}

TEST(customer_directory, finds_customers_by_each_of_their_numbers) {
  customer_directory directory;
  directory.put(make("a", "张伟", {"+8613800138000", "+861088886666"}, 3));
  ASSERT_EQ(directory.size(), 2u);
  const auto found = directory.lookup("+861088886666");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, (customer_summary{"a", "张伟", 3, {"t"}}));
  EXPECT_EQ(directory.lookup("+8613800138000"), found) << "one summary shared by its numbers";
  EXPECT_FALSE(directory.lookup("+8613900139000"));
  EXPECT_FALSE(directory.lookup(""));
}

TEST(customer_directory, put_replaces_a_customers_numbers) {
  customer_directory directory;
  directory.put(make("a", "old", {"+8613800138000", "+8613800138001"}));
  directory.put(make("a", "new", {"+8613800138001", "+8613800138002"}));
  EXPECT_FALSE(directory.lookup("+8613800138000"));
  EXPECT_EQ(directory.lookup("+8613800138001")->name, "new");
  EXPECT_EQ(directory.lookup("+8613800138002")->name, "new");
  EXPECT_EQ(directory.size(), 2u);
}

TEST(customer_directory, a_number_moves_to_its_new_owner) {
  customer_directory directory;
  directory.put(make("a", "first", {"+8613800138000", "+8613800138001"}));
  directory.put(make("b", "second", {"+8613800138000"}));
  EXPECT_EQ(directory.lookup("+8613800138000")->id, "b");
  // Erasing the previous owner leaves the moved number with the new one.
  directory.erase("a");
  EXPECT_EQ(directory.lookup("+8613800138000")->id, "b");
  EXPECT_FALSE(directory.lookup("+8613800138001"));
  EXPECT_EQ(directory.size(), 1u);
  directory.erase("b");
  directory.erase("nobody");
  EXPECT_EQ(directory.size(), 0u);
}

TEST(customer_directory, a_caller_is_found_however_the_number_arrives) {
  customer_directory directory;
  directory.put(make("a", "张伟", {"+8613800138000"}));
  directory.put(make("b", "office", {"+861088886666"}));
  for (const char* raw :
       {"13800138000", "+8613800138000", "8613800138000", "008613800138000", "+86 138-0013-8000"}) {
    const auto found = directory.lookup_caller(raw, "86");
    ASSERT_TRUE(found) << raw;
    EXPECT_EQ(found->id, "a") << raw;
  }
  EXPECT_EQ(directory.lookup_caller("01088886666", "86")->id, "b");
  EXPECT_FALSE(directory.lookup_caller("anonymous", "86"));
  EXPECT_FALSE(directory.lookup_caller("", "86"));
  EXPECT_FALSE(directory.lookup_caller("13900139000", "86"));
}

TEST(customer_directory, lookups_run_while_writers_change_it) {
  customer_directory directory;
  directory.put(make("stable", "always", {"+8613800000000"}));
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (!directory.lookup("+8613800000000")) ++misses;
        (void)directory.lookup("+8613900000001");
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    directory.put(
        make("moving", "m" + std::to_string(i), {"+861390000000" + std::to_string(i % 10)}));
    if (i % 7 == 0) directory.erase("moving");
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_EQ(directory.lookup("+8613800000000")->name, "always");
}

}  // namespace
}  // namespace callcenterd::crm

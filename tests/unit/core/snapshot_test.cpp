#include "callcenterd/core/snapshot.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace callcenterd::core {
namespace {

TEST(snapshot, a_reader_keeps_its_version_while_new_readers_get_the_replacement) {
  snapshot<std::string> held(std::make_shared<const std::string>("first"));
  const auto taken = held.current();
  held.replace(std::make_shared<const std::string>("second"));
  EXPECT_EQ(*taken, "first");
  EXPECT_EQ(*held.current(), "second");
}

TEST(snapshot, the_old_version_is_freed_once_its_last_reader_lets_go) {
  snapshot<std::string> held(std::make_shared<const std::string>("first"));
  std::weak_ptr<const std::string> old = held.current();
  auto reader = held.current();
  held.replace(std::make_shared<const std::string>("second"));
  EXPECT_FALSE(old.expired());
  reader.reset();
  EXPECT_TRUE(old.expired());
}

TEST(snapshot, readers_and_a_writer_on_other_threads_always_see_a_whole_version) {
  snapshot<std::vector<int>> held(std::make_shared<const std::vector<int>>(100, 0));
  std::thread writer([&] {
    for (int i = 1; i <= 2000; ++i) held.replace(std::make_shared<const std::vector<int>>(100, i));
  });
  for (int i = 0; i < 2000; ++i) {
    const auto seen = held.current();
    ASSERT_EQ(seen->size(), 100u);
    EXPECT_EQ(seen->front(), seen->back());
  }
  writer.join();
  EXPECT_EQ(held.current()->front(), 2000);
}

}  // namespace
}  // namespace callcenterd::core

#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "callcenterd/config/loader.hpp"

namespace callcenterd::config::test {

/// A fixture file under tests/data/config.
inline std::filesystem::path data_file(const std::string& name) {
  return std::filesystem::path(CALLCENTERD_SOURCE_DIR) / "tests" / "data" / "config" / name;
}

/// A private directory under the system temp directory, removed with everything in it.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "callcenterd-config-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

/// Sets an environment variable for the life of the object, then restores what was there.
class scoped_env {
 public:
  scoped_env(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = getenv(name_.c_str())) previous_ = old;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~scoped_env() {
    if (previous_) {
      setenv(name_.c_str(), previous_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

inline load_result load(const std::string& text) { return load_string(text, "test.yaml"); }

/// All errors of a result, one per line, for assertion messages.
inline std::string dump(const load_result& result) {
  std::string out;
  for (const auto& e : result.errors()) out += e.to_string() + "\n";
  return out;
}

/// Asserts that `text` fails with exactly one error, at `line` with `key_path` and `reason`.
inline void expect_single_error(const std::string& text, int line, const std::string& key_path,
                                const std::string& reason) {
  const auto result = load(text);
  ASSERT_FALSE(result.ok()) << "accepted:\n" << text;
  ASSERT_EQ(result.errors().size(), 1u) << dump(result);
  const auto& error = result.errors().front();
  EXPECT_EQ(error.file, "test.yaml");
  EXPECT_EQ(error.line, line) << error.to_string();
  EXPECT_EQ(error.key_path, key_path) << error.to_string();
  EXPECT_EQ(error.reason, reason) << error.to_string();
}

}  // namespace callcenterd::config::test

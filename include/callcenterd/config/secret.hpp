#pragma once

#include <string>
#include <utility>

namespace callcenterd::config {

/// A string that must never reach a log line, an error message or a to-string. It has no
/// stream or fmt support on purpose, so printing it by accident does not compile.
class secret {
 public:
  secret() = default;
  explicit secret(std::string value) : value_(std::move(value)) {}

  /// The plain text, for the one place that hands it to a library (libpq).
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  bool operator==(const secret&) const = default;

 private:
  std::string value_;
};

}  // namespace callcenterd::config

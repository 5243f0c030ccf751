#pragma once

#include <string>

namespace callcenterd::config {

/// One problem found in a configuration or flow file. Lines and columns are 1-based; both are
/// 0 for problems of the file as a whole (missing, unreadable). key_path is dotted
/// ("http.port", "flows.main.nodes.menu.next") and empty when no key is involved (syntax
/// errors, file errors). Plain data: components that check what config read (ivr's flow
/// checks) report in it through this header alone.
struct config_error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
  std::string reason;

  /// "file:line:column: key.path: reason"; the position and key parts are left out when
  /// absent, e.g. "callcenterd.yaml: cannot read the file: No such file or directory".
  std::string to_string() const;

  bool operator==(const config_error&) const = default;
};

}  // namespace callcenterd::config

#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::config::detail {

/// The document of a file that must hold exactly one.
struct yaml_document {
  /// Null for a file without a document (empty, only comments): it reads as an empty mapping.
  YAML::Node root;
  /// Where a second document starts, or where the parser stopped making progress, with why;
  /// the file is then refused.
  std::optional<std::pair<YAML::Mark, std::string>> problem;
};

/// Parses `text` as one YAML document. Throws YAML::Exception for syntax errors.
///
/// Not YAML::LoadAll: in yaml-cpp 0.7 it loops without end, allocating until the process
/// dies, on input as small as "," (the parser reports a new empty document at the same place
/// for ever). A bad configuration file must be refused, not take the daemon down with it, so
/// the documents are counted first by a parser that stops when it makes no progress.
yaml_document load_single_document(std::string_view text);

}  // namespace callcenterd::config::detail

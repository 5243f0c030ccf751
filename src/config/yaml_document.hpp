#pragma once

#include <functional>
#include <string_view>

#include "section_reader.hpp"

namespace callcenterd::config::detail {

/// Reads `text`, a file that must hold exactly one YAML document: `read` gets a reader of its
/// top level (a file without a document, empty or only comments, reads as an empty mapping),
/// then the keys it did not ask for are reported. Syntax errors and a second document become
/// errors in `errors`, never exceptions.
///
/// Not YAML::LoadAll: in yaml-cpp 0.7 it loops without end, allocating until the process
/// dies, on input as small as "," (the parser reports a new empty document at the same place
/// for ever). A bad configuration file must be refused, not take the daemon down with it, so
/// the documents are counted first by a parser that stops when it makes no progress.
void read_yaml_file(std::string_view text, error_list& errors,
                    const std::function<void(section_reader&)>& read);

}  // namespace callcenterd::config::detail

#include "yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <optional>
#include <sstream>
#include <string>
#include <utility>

namespace callcenterd::config::detail {

namespace {

// Notes where each document starts; ignores everything else.
class document_starts final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> last;

  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {}
  void OnSequenceStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {}
  void OnMapEnd() override {}
};

// Why `text` does not hold exactly one document, and where; nullopt when it does (or holds
// none).
std::optional<std::pair<YAML::Mark, std::string>> document_count_problem(std::string_view text) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  document_starts starts;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;  // no document at all
  const auto first = starts.last;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;
  const bool stuck = starts.last && first && starts.last->pos == first->pos;
  return std::make_pair(starts.last.value_or(YAML::Mark()),
                        std::string(stuck ? "YAML syntax error: no value can start here"
                                          : "found a second YAML document; the file must hold "
                                            "exactly one"));
}

}  // namespace

void read_yaml_file(std::string_view text, error_list& errors,
                    const std::function<void(section_reader&)>& read) {
  try {
    YAML::Node root;
    if (auto problem = document_count_problem(text)) {
      errors.add(problem->first, {}, std::move(problem->second));
    } else {
      root = YAML::Load(std::string(text));
    }
    section_reader reader(root, {}, root.Mark(), errors);
    read(reader);
    reader.finish();
  } catch (const YAML::Exception& e) {
    // Syntax errors; yaml-cpp's own message without its "yaml-cpp: error at..." prefix.
    errors.add(e.mark, {}, "YAML syntax error: " + e.msg);
  }
}

}  // namespace callcenterd::config::detail

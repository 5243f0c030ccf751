#include "yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

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

}  // namespace

yaml_document load_single_document(std::string_view text) {
  yaml_document out;
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  document_starts starts;
  if (!parser.HandleNextDocument(starts)) return out;  // no document at all
  const auto first = starts.last;
  if (parser.HandleNextDocument(starts)) {
    const bool stuck = starts.last && first && starts.last->pos == first->pos;
    out.problem.emplace(starts.last.value_or(YAML::Mark()),
                        stuck ? "YAML syntax error: no value can start here"
                              : "found a second YAML document; the file must hold exactly one");
    return out;
  }
  out.root = YAML::Load(std::string(text));
  return out;
}

}  // namespace callcenterd::config::detail

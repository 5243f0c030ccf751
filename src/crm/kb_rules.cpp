// The rules a knowledge base article's fields follow.
#include <algorithm>

#include "callcenterd/crm/knowledge_base.hpp"
#include "utf8.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

constexpr std::size_t max_title_chars = 200;
constexpr std::size_t max_body_chars = 100'000;
constexpr std::size_t max_category_chars = 64;
constexpr std::size_t max_tags = 20;
constexpr std::size_t max_tag_chars = 40;

}  // namespace

crm_result<kb_input> validate_kb_input(const kb_input& input, bool creating) {
  kb_input out = input;
  std::vector<crm_problem> problems;
  if (out.title) {
    out.title = std::string(utf8::trim(*out.title));
    if (out.title->empty()) {
      problems.push_back({0, "title", "title may not be empty"});
    } else {
      check_text(problems, "title", *out.title, max_title_chars, false);
    }
  } else if (creating) {
    problems.push_back({0, "title", "title is required"});
  }
  if (out.body) check_text(problems, "body", *out.body, max_body_chars, true);
  if (out.category) {
    out.category = std::string(utf8::trim(*out.category));
    check_text(problems, "category", *out.category, max_category_chars, false);
  }
  if (out.tags) {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < out.tags->size(); ++i) {
      const std::string field = "tags[" + std::to_string(i) + "]";
      std::string tag(utf8::trim((*out.tags)[i]));
      if (tag.empty()) {
        problems.push_back({0, field, field + " is empty"});
        continue;
      }
      check_text(problems, field, tag, max_tag_chars, false);
      if (std::find(kept.begin(), kept.end(), tag) == kept.end()) kept.push_back(std::move(tag));
    }
    if (kept.size() > max_tags) {
      problems.push_back({0, "tags", "at most " + std::to_string(max_tags) + " tags"});
    }
    out.tags = std::move(kept);
  }
  if (!problems.empty()) return invalid_input(std::move(problems));
  return out;
}

}  // namespace callcenterd::crm

// The CRM's own tokeniser for full-text search (Latin words, CJK bigrams) and the excerpts
// shown with search hits.
#include "callcenterd/crm/search_text.hpp"

#include <algorithm>
#include <vector>

#include "utf8.hpp"

namespace callcenterd::crm {
namespace {

constexpr std::size_t max_word_bytes = 100;

enum class char_class { separator, word, cjk };

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

// Full-width ASCII letters and digits (common from Chinese input methods) as ASCII, and ASCII
// letters lower-cased, so that "ＶＩＰ", "VIP" and "vip" are one word.
char32_t fold(char32_t c) {
  if (in(c, 0xFF10, 0xFF19) || in(c, 0xFF21, 0xFF3A) || in(c, 0xFF41, 0xFF5A)) c -= 0xFEE0;
  if (in(c, 'A', 'Z')) c += 'a' - 'A';
  return c;
}

bool is_cjk(char32_t c) {
  return in(c, 0x4E00, 0x9FFF)       // CJK unified ideographs
         || in(c, 0x3400, 0x4DBF)    // extension A
         || in(c, 0x20000, 0x3134F)  // extensions B to G
         || in(c, 0xF900, 0xFAFF)    // compatibility ideographs
         || in(c, 0x3040, 0x30FF)    // hiragana, katakana
         || in(c, 0x31F0, 0x31FF)    // katakana extensions
         || in(c, 0xAC00, 0xD7AF)    // Hangul syllables
         || c == 0x3005;             // 々, the ideographic iteration mark
}

bool is_separator(char32_t c) {
  if (c < 0x80) return !(in(c, '0', '9') || in(c, 'a', 'z') || in(c, 'A', 'Z'));
  return in(c, 0x80, 0xBF)          // Latin-1 controls, no-break space, ¡ « » · ...
         || c == 0xD7 || c == 0xF7  // × ÷
         || in(c, 0x2000, 0x2BFF)   // general punctuation, symbols, arrows, shapes
         || in(c, 0x2E00, 0x2E7F)   // supplemental punctuation
         || in(c, 0x3000, 0x303F)   // CJK symbols and punctuation: 　、。「」
         || in(c, 0xFE10, 0xFE1F)   // vertical forms
         || in(c, 0xFE30, 0xFE6F)   // CJK compatibility and small forms
         || in(c, 0xFF00, 0xFF0F) || in(c, 0xFF1A, 0xFF20) || in(c, 0xFF3B, 0xFF40) ||
         in(c, 0xFF5B, 0xFF65)       // full-width punctuation: ，！（）
         || in(c, 0xFE00, 0xFE0F)    // variation selectors
         || in(c, 0x1F000, 0x1FAFF)  // emoji and pictographs
         || c == 0xFEFF || c == utf8::replacement;
}

char_class classify(char32_t c) {
  if (is_cjk(c)) return char_class::cjk;
  if (is_separator(c)) return char_class::separator;
  return char_class::word;
}

struct tokenizer {
  bool with_unigrams = false;
  std::vector<std::string> tokens;
  std::string word;
  std::vector<char32_t> run;

  void flush_word() {
    if (!word.empty() && word.size() <= max_word_bytes) tokens.push_back(word);
    word.clear();
  }

  void flush_run() {
    if (run.size() == 1) {
      std::string token;
      utf8::append(token, run[0]);
      tokens.push_back(std::move(token));
    } else if (run.size() > 1) {
      for (std::size_t i = 0; i + 1 < run.size(); ++i) {
        std::string token;
        utf8::append(token, run[i]);
        utf8::append(token, run[i + 1]);
        tokens.push_back(std::move(token));
      }
      if (with_unigrams) {
        for (const char32_t c : run) {
          std::string token;
          utf8::append(token, c);
          tokens.push_back(std::move(token));
        }
      }
    }
    run.clear();
  }

  void feed(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      const char32_t c = fold(utf8::next(text, pos));
      switch (classify(c)) {
        case char_class::separator:
          flush_word();
          flush_run();
          break;
        case char_class::word:
          flush_run();
          utf8::append(word, c);
          break;
        case char_class::cjk:
          flush_word();
          run.push_back(c);
          break;
      }
    }
    flush_word();
    flush_run();
  }
};

std::vector<std::string> tokens_of(std::string_view text, bool with_unigrams) {
  tokenizer t;
  t.with_unigrams = with_unigrams;
  t.feed(text);
  return std::move(t.tokens);
}

std::string joined(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& token : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += token;
  }
  return out;
}

std::vector<char32_t> decoded(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) out.push_back(utf8::next(text, pos));
  return out;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x3000 ||
         c == 0xA0;
}

}  // namespace

std::string search_terms(std::string_view text) { return joined(tokens_of(text, false)); }

std::string index_terms(std::string_view text) { return joined(tokens_of(text, true)); }

std::string tsquery_text(std::string_view query) {
  std::vector<std::string> distinct;
  for (auto& token : tokens_of(query, false)) {
    if (std::find(distinct.begin(), distinct.end(), token) == distinct.end()) {
      distinct.push_back(std::move(token));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    if (i > 0) out += " & ";
    out.push_back('\'');
    // Tokens hold neither quotes nor backslashes today; doubling them keeps the lexeme a
    // lexeme even if the tokeniser's rules change.
    for (const char c : distinct[i]) {
      if (c == '\'' || c == '\\') out.push_back(c);
      out.push_back(c);
    }
    out.push_back('\'');
    std::size_t pos = 0;
    const bool latin = !is_cjk(utf8::next(distinct[i], pos));
    if (i + 1 == distinct.size() && latin) out += ":*";
  }
  return out;
}

std::string make_snippet(std::string_view text, std::string_view query, std::size_t max_chars) {
  const std::vector<char32_t> original = decoded(text);
  std::vector<char32_t> folded = original;
  std::transform(folded.begin(), folded.end(), folded.begin(), fold);

  std::size_t match = original.size();
  for (const auto& token : tokens_of(query, false)) {
    const std::vector<char32_t> needle = decoded(token);
    const auto found = std::search(folded.begin(), folded.end(), needle.begin(), needle.end());
    if (found != folded.end()) {
      match = std::min(match, static_cast<std::size_t>(found - folded.begin()));
    }
  }
  // Some words before the hit give it context; a quarter of the room is enough.
  const std::size_t lead = max_chars / 4;
  std::size_t start = (match != original.size() && match > lead) ? match - lead : 0;
  const bool cut_front = start > 0;
  while (start < original.size() && is_space(original[start])) ++start;

  std::string out;
  if (cut_front) out += "…";
  std::size_t taken = 0;
  std::size_t i = start;
  bool pending_space = false;
  for (; i < original.size() && taken < max_chars; ++i) {
    if (is_space(original[i])) {
      pending_space = true;
      continue;
    }
    if (pending_space && taken > 0) {
      if (taken + 1 >= max_chars) break;  // a space cannot end the excerpt
      out.push_back(' ');
      ++taken;
    }
    pending_space = false;
    utf8::append(out, original[i]);
    ++taken;
  }
  while (i < original.size() && is_space(original[i])) ++i;
  if (i < original.size()) out += "…";
  return out;
}

}  // namespace callcenterd::crm

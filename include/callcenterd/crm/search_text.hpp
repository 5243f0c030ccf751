#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace callcenterd::crm {

// Full-text search that works for Chinese. PostgreSQL's parsers do not split Chinese (a whole
// sentence would be one "word"), so the CRM tokenises text here and hands PostgreSQL a string
// of space-separated tokens for to_tsvector('simple', ...) and to_tsquery('simple', ...):
//
//  - Latin letters and digits form words, lower-cased (full-width forms such as "ＶＩＰ１"
//    are folded to ASCII first); other letters (é, ж, ...) stay in the word as they are and
//    PostgreSQL lower-cases them.
//  - A run of CJK characters (Han, kana, Hangul) becomes overlapping bigrams: "张伟明" is
//    "张伟 伟明". A run of one character is that character.
//  - Everything else (spaces, ASCII and CJK punctuation, symbols, emoji, invalid UTF-8)
//    separates tokens. A word longer than 100 bytes is dropped: it is noise, not a word.
//
// A query matches a text when every query token is among the text's tokens, so "张伟" finds
// "张伟明". All functions here are pure and may run on any thread.

/// The tokens of `text`, separated by single spaces, in text order (repeats kept, because
/// ranking counts them). "Call 张伟明, VIP!" gives "call 张伟 伟明 vip". Never throws on
/// any bytes.
std::string search_terms(std::string_view text);

/// The tokens to store for `text`: search_terms() plus every character of each longer CJK
/// run on its own, so that a one-character query (a surname like "王") finds "王芳".
std::string index_terms(std::string_view text);

/// A to_tsquery('simple', ...) expression that requires every distinct token of `query`,
/// each one quoted as a lexeme (user text is never SQL or tsquery syntax), the last Latin
/// word as a prefix so that "zha" finds "zhang" while someone types. Empty when `query` has
/// no tokens: callers then apply no text condition.
std::string tsquery_text(std::string_view query);

/// A short plain-text excerpt of `text` around the first place a token of `query` occurs
/// (case-insensitively for Latin), at most `max_chars` characters plus "…" where it was cut,
/// white space runs shown as one space. The start of `text` when nothing matches. Never cuts
/// inside a character; malformed UTF-8 shows as U+FFFD.
std::string make_snippet(std::string_view text, std::string_view query,
                         std::size_t max_chars = 160);

}  // namespace callcenterd::crm

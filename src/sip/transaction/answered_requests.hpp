#pragma once

// The final answers of UDP non-INVITE server transactions, kept for Timer J (RFC 3261
// §17.2.2): a retransmitted request gets the same answer again without reaching the TU.
//
// A transaction in the Completed state needs nothing but its matching key, the answer's bytes
// and where to send them, so the layer retires the full transaction at its final answer and
// files those here. At 10,000 registrations/s (20,000 answered requests/s, each held 32 s)
// that is the difference between 1.6 kB and under 1 kB per request. Every entry lives the same
// 64×T1, so expiry is a FIFO, not a heap. When the store is full the oldest entry goes first:
// of all answers it is the least likely to be asked for again.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "callcenterd/sip/flow.hpp"
#include "transaction.hpp"

namespace callcenterd::sip::txn {

class answered_requests {
 public:
  struct answer {
    std::string bytes;
    flow peer;
    /// The request's To tag: RFC 2543 requests match only with the same one.
    std::optional<std::string> request_to_tag;
  };

  explicit answered_requests(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Files `value` under the server matching key `key` until `expires`. `dialog` is the
  /// transaction's merge key (From tag, Call-ID, CSeq, method), empty for none. A key filed
  /// already is overwritten.
  void add(const std::string& key, std::string_view dialog, answer value, clock_time expires);
  /// The answer filed under `key`, nullptr when none.
  const answer* find(const std::string& key) const;
  /// True when an answered request had merge key `dialog` under another matching key
  /// (RFC 3261 §8.2.2.2).
  bool merged(std::string_view dialog, const std::string& key) const;
  /// Drops every answer whose time is up.
  void expire(clock_time now);
  /// When the oldest answer expires.
  std::optional<clock_time> next_deadline() const;

  std::size_t size() const { return answers_.size(); }
  /// Answers dropped before their time because the store was full.
  std::uint64_t evicted() const { return evicted_; }

 private:
  struct entry {
    answer value;
    std::uint64_t dialog_hash = 0;  // 0: none
    std::uint64_t sequence = 0;
  };
  // The FIFO refers to the map's own key: node-based maps keep keys in place until erased,
  // and a node is erased only through the newest FIFO item that names it (same sequence).
  struct expiry {
    clock_time at;
    const std::string* key;
    std::uint64_t sequence;
  };

  void drop_front();
  static std::uint64_t hash_of(std::string_view text);

  std::size_t capacity_;
  std::unordered_map<std::string, entry> answers_;
  // Merge key hash to matching key hash. Hashes, not strings: a false match needs two 64-bit
  // hashes to collide, and the strings would double the store's memory.
  std::unordered_map<std::uint64_t, std::uint64_t> dialogs_;
  std::deque<expiry> order_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t evicted_ = 0;
};

}  // namespace callcenterd::sip::txn

#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "callcenterd/sip/flow.hpp"

namespace callcenterd::sip::transport_detail {

class connection;

// The far end of a connection, for reusing it: transport, address and port.
struct remote_key {
  transport_kind transport = transport_kind::tcp;
  boost::asio::ip::address address;
  std::uint16_t port = 0;

  friend bool operator<(const remote_key& a, const remote_key& b);
};

// Every open stream connection, by id and by remote end, bounded by max_connections.
// Thread-safe: connections join from accept loops and send(), and leave from their own
// strands. Holds weak_ptrs: a connection lives as long as its pending operations.
class connection_table {
 public:
  explicit connection_table(std::size_t max_connections) : max_(max_connections) {}

  // False when the table is full.
  [[nodiscard]] bool add(const std::shared_ptr<connection>& c);
  // A live connection to `key`, or one made by `make` and added, atomically, so two senders
  // never dial the same peer twice. Null when none exists and the table is full; `created`
  // tells whether `make` ran.
  std::shared_ptr<connection> find_or_add(const remote_key& key,
                                          const std::function<std::shared_ptr<connection>()>& make,
                                          bool& created);
  // Removes the entries of connection `id`; false when it was not there.
  bool remove(std::uint64_t id, const remote_key& key);

  [[nodiscard]] std::shared_ptr<connection> find(std::uint64_t id) const;
  // The newest live connection to `key`.
  [[nodiscard]] std::shared_ptr<connection> find(const remote_key& key) const;
  [[nodiscard]] std::vector<std::shared_ptr<connection>> all() const;
  [[nodiscard]] std::size_t size() const;

 private:
  std::shared_ptr<connection> find_locked(const remote_key& key) const;
  void insert_locked(const std::shared_ptr<connection>& c);

  const std::size_t max_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> by_id_;
  // Equal keys keep insertion order, so the last of a range is the newest connection.
  std::multimap<remote_key, std::uint64_t> by_remote_;
};

}  // namespace callcenterd::sip::transport_detail

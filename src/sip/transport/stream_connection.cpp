#include "stream_connection.hpp"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <type_traits>

#include "stats_counters.hpp"
#include "stream_framer.hpp"
#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;

// SIP messages are mostly under a few kilobytes; larger ones just take more reads.
constexpr std::size_t read_chunk = std::size_t{16} * 1024;

template <class Stream>
constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

// Reads a byte stream, frames it into SIP messages and CRLF keep-alives, and writes what the
// base class queues. Plain TCP or TLS (asio::ssl, whose handshake comes first).
template <class Stream>
class stream_connection final : public connection {
 public:
  stream_connection(std::shared_ptr<transport_core> core, strand_type strand, transport_kind kind,
                    tcp::socket socket, const tcp::endpoint& remote, bool outbound)
      : connection(core, std::move(strand), kind, remote, outbound),
        stream_(make_stream(std::move(socket), *core, outbound)),
        framer_(core->settings().limits) {}

  void start() override {
    asio::dispatch(strand_, [self = shared_this()] {
      if (self->closed()) return;  // stop() got here first
      self->arm_watchdog();
      if (self->outbound()) {
        self->lowest().async_connect(
            self->remote(), [self](const boost::system::error_code& ec) { self->on_connect(ec); });
      } else {
        self->after_connect();
      }
    });
  }

 private:
  static Stream make_stream(tcp::socket socket, transport_core& core, bool outbound) {
    if constexpr (is_tls<Stream>) {
      return Stream(std::move(socket), outbound ? core.client_tls() : core.server_tls());
    } else {
      (void)core;
      (void)outbound;
      return socket;
    }
  }

  std::shared_ptr<stream_connection> shared_this() {
    return std::static_pointer_cast<stream_connection>(shared_from_this());
  }

  tcp::socket& lowest() {
    if constexpr (is_tls<Stream>) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  void on_connect(const boost::system::error_code& ec) {
    if (closed()) return;
    if (ec) return shut("connect failed: " + ec.message());
    after_connect();
  }

  void after_connect() {
    if constexpr (is_tls<Stream>) {
      const auto role =
          outbound() ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
      stream_.async_handshake(role, [self = shared_this()](const boost::system::error_code& ec) {
        if (self->closed()) return;
        if (ec) return self->shut("TLS handshake failed: " + ec.message());
        self->established();
      });
    } else {
      established();
    }
  }

  void established() {
    boost::system::error_code ec;
    const auto local = lowest().local_endpoint(ec);
    if (ec) return shut(ec.message());
    on_established(local);
    do_read();
  }

  void do_read() {
    stream_.async_read_some(
        asio::buffer(read_buffer_),
        [self = shared_this()](const boost::system::error_code& ec, std::size_t received) {
          self->on_read(ec, received);
        });
  }

  void on_read(const boost::system::error_code& ec, std::size_t received) {
    if (closed()) return;
    if (ec) {
      const bool peer_left = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
      return shut(peer_left ? "closed by peer" : ec.message());
    }
    note_received(received);
    // While closing after an error reply, what the peer still sends is read and ignored.
    if (taking_input()) handle(std::string_view(read_buffer_.data(), received));
    if (!closed()) do_read();
  }

  void handle(std::string_view bytes) {
    framer_.append(bytes);
    while (taking_input()) {
      auto event = framer_.next();
      if (!event) return;
      switch (event->what) {
        case stream_event::kind::message:
          deliver(event->bytes);
          break;
        case stream_event::kind::ping:
          bump(counters_.keep_alives_in);
          queue_pong();
          break;
        case stream_event::kind::keep_alive:
          bump(counters_.keep_alives_in);
          break;
        case stream_event::kind::error:
          fail_stream(core_->refuse_stream(flow_, framer_.pending(), event->error),
                      event->error.message());
          return;
      }
    }
  }

  void write_front(const std::string& bytes) override {
    asio::async_write(stream_, asio::buffer(bytes),
                      [self = shared_this()](const boost::system::error_code& ec, std::size_t) {
                        self->on_write_done(ec);
                      });
  }

  tcp::socket& socket() override { return lowest(); }

  Stream stream_;
  stream_framer framer_;
  std::array<char, read_chunk> read_buffer_{};
};

template <class Stream>
std::shared_ptr<connection> make(std::shared_ptr<transport_core> core, strand_type strand,
                                 transport_kind kind, tcp::socket socket,
                                 const tcp::endpoint& remote, bool outbound) {
  return std::make_shared<stream_connection<Stream>>(std::move(core), std::move(strand), kind,
                                                     std::move(socket), remote, outbound);
}

}  // namespace

std::shared_ptr<connection> make_accepted_stream(std::shared_ptr<transport_core> core,
                                                 strand_type strand, transport_kind kind,
                                                 tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return nullptr;
  if (kind == transport_kind::tls) {
    return make<tls_stream>(std::move(core), std::move(strand), kind, std::move(socket), remote,
                            false);
  }
  return make<tcp::socket>(std::move(core), std::move(strand), kind, std::move(socket), remote,
                           false);
}

std::shared_ptr<connection> make_outbound_stream(std::shared_ptr<transport_core> core,
                                                 transport_kind kind, const tcp::endpoint& remote) {
  auto strand = asio::make_strand(core->io());
  tcp::socket socket(strand);
  if (kind == transport_kind::tls) {
    return make<tls_stream>(std::move(core), std::move(strand), kind, std::move(socket), remote,
                            true);
  }
  return make<tcp::socket>(std::move(core), std::move(strand), kind, std::move(socket), remote,
                           true);
}

}  // namespace callcenterd::sip::transport_detail

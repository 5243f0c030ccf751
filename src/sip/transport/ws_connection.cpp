#include "ws_connection.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <string>
#include <type_traits>

#include "inbound.hpp"
#include "stats_counters.hpp"
#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;

// An upgrade request is a request line and a few headers; anything bigger is not a browser.
constexpr std::uint32_t max_upgrade_header = 8 * 1024;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <class NextLayer>
constexpr bool is_tls = std::is_same_v<NextLayer, tls_stream>;

// RFC 7118 over Beast: an HTTP upgrade that must offer the `sip` subprotocol, then each
// WebSocket message carries exactly one SIP message; we answer with text messages. The peer
// cannot be dialled back, so the connection is the only way to reach it.
template <class NextLayer>
class ws_connection final : public connection {
 public:
  ws_connection(std::shared_ptr<transport_core> core, strand_type strand, transport_kind kind,
                tcp::socket socket, const tcp::endpoint& remote)
      : connection(core, std::move(strand), kind, remote, false),
        ws_(make_next_layer(std::move(socket), *core)) {}

  void start() override {
    asio::dispatch(strand_, [self = shared_this()] {
      if (self->closed()) return;  // stop() got here first
      self->arm_watchdog();
      if constexpr (is_tls<NextLayer>) {
        self->ws_.next_layer().async_handshake(
            asio::ssl::stream_base::server, [self](const boost::system::error_code& ec) {
              if (self->closed()) return;
              if (ec) return self->shut("TLS handshake failed: " + ec.message());
              self->read_upgrade();
            });
      } else {
        self->read_upgrade();
      }
    });
  }

 private:
  static NextLayer make_next_layer(tcp::socket socket, transport_core& core) {
    if constexpr (is_tls<NextLayer>) {
      return NextLayer(std::move(socket), core.server_tls());
    } else {
      (void)core;
      return socket;
    }
  }

  std::shared_ptr<ws_connection> shared_this() {
    return std::static_pointer_cast<ws_connection>(shared_from_this());
  }

  tcp::socket& lowest() { return beast::get_lowest_layer(ws_); }

  void read_upgrade() {
    upgrade_.header_limit(max_upgrade_header);
    http::async_read(ws_.next_layer(), http_buffer_, upgrade_,
                     [self = shared_this()](const boost::system::error_code& ec, std::size_t) {
                       self->on_upgrade_request(ec);
                     });
  }

  void on_upgrade_request(const boost::system::error_code& ec) {
    if (closed()) return;
    if (ec) return shut("bad WebSocket upgrade: " + ec.message());
    const auto& request = upgrade_.get();
    std::string offered;
    auto [first, last] = request.equal_range(http::field::sec_websocket_protocol);
    for (auto it = first; it != last; ++it) offered.append(it->value()).append(",");
    if (!websocket::is_upgrade(request) || !offers_sip_subprotocol(offered)) {
      refuse(request.version());
      return;
    }
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::sec_websocket_protocol, "sip");
      response.set(http::field::server, "callcenterd");
    }));
    ws_.set_option(websocket::stream_base::timeout{core_->settings().connect_timeout,
                                                   websocket::stream_base::none(), false});
    ws_.read_message_max(core_->settings().limits.max_message_size);
    // Browsers keep idle sockets alive with WebSocket pings; Beast answers them inside our
    // reads without completing them, so they are noted here. Runs on the strand, during a read.
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { note_received(0); });
    ws_.async_accept(request, [self = shared_this()](const boost::system::error_code& ec) {
      self->on_accept(ec);
    });
  }

  void refuse(unsigned version) {
    bump(counters_.connections_rejected);
    refusal_ = {http::status::bad_request, version};
    refusal_.set(http::field::server, "callcenterd");
    refusal_.set(http::field::content_type, "text/plain");
    refusal_.body() = "A WebSocket upgrade offering the 'sip' subprotocol is required.\n";
    refusal_.keep_alive(false);
    refusal_.prepare_payload();
    http::async_write(ws_.next_layer(), refusal_,
                      [self = shared_this()](const boost::system::error_code&, std::size_t) {
                        self->shut("WebSocket upgrade without the sip subprotocol");
                      });
  }

  void on_accept(const boost::system::error_code& ec) {
    if (closed()) return;
    if (ec) return shut("WebSocket accept failed: " + ec.message());
    boost::system::error_code local_ec;
    const auto local = lowest().local_endpoint(local_ec);
    if (local_ec) return shut(local_ec.message());
    ws_.text(true);
    on_established(local);
    do_read();
  }

  void do_read() {
    ws_.async_read(read_buffer_,
                   [self = shared_this()](const boost::system::error_code& ec,
                                          std::size_t received) { self->on_read(ec, received); });
  }

  void on_read(const boost::system::error_code& ec, std::size_t received) {
    if (closed()) return;
    if (ec) {
      if (ec == websocket::error::message_too_big) bump(counters_.malformed);
      return shut(ec == websocket::error::closed ? "closed by peer" : ec.message());
    }
    note_received(received);
    const auto text = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    if (taking_input()) {
      if (is_keep_alive(text)) {
        bump(counters_.keep_alives_in);
      } else {
        deliver(text);
      }
    }
    if (!closed()) do_read();
  }

  void write_front(const std::string& bytes) override {
    ws_.async_write(asio::buffer(bytes),
                    [self = shared_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_write_done(ec);
                    });
  }

  tcp::socket& socket() override { return lowest(); }

  websocket::stream<NextLayer> ws_;
  beast::flat_buffer http_buffer_;
  http::request_parser<http::empty_body> upgrade_;
  http::response<http::string_body> refusal_;
  beast::flat_buffer read_buffer_;
};

}  // namespace

bool offers_sip_subprotocol(std::string_view header_value) {
  while (!header_value.empty()) {
    const auto comma = header_value.find(',');
    auto item = header_value.substr(0, comma);
    header_value =
        comma == std::string_view::npos ? std::string_view{} : header_value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.size() == 3 && lower(item[0]) == 's' && lower(item[1]) == 'i' &&
        lower(item[2]) == 'p') {
      return true;
    }
  }
  return false;
}

std::shared_ptr<connection> make_accepted_websocket(std::shared_ptr<transport_core> core,
                                                    strand_type strand, transport_kind kind,
                                                    tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return nullptr;
  if (kind == transport_kind::wss) {
    return std::make_shared<ws_connection<tls_stream>>(std::move(core), std::move(strand), kind,
                                                       std::move(socket), remote);
  }
  return std::make_shared<ws_connection<tcp::socket>>(std::move(core), std::move(strand), kind,
                                                      std::move(socket), remote);
}

}  // namespace callcenterd::sip::transport_detail

#include "callcenterd/sip/flow.hpp"

#include <fmt/format.h>

namespace callcenterd::sip {

std::string_view via_token(transport_kind kind) {
  switch (kind) {
    case transport_kind::udp:
      return "UDP";
    case transport_kind::tcp:
      return "TCP";
    case transport_kind::tls:
      return "TLS";
    case transport_kind::ws:
      return "WS";
    case transport_kind::wss:
      return "WSS";
  }
  return "UDP";
}

std::string_view config_name(transport_kind kind) {
  switch (kind) {
    case transport_kind::udp:
      return "udp";
    case transport_kind::tcp:
      return "tcp";
    case transport_kind::tls:
      return "tls";
    case transport_kind::ws:
      return "ws";
    case transport_kind::wss:
      return "wss";
  }
  return "udp";
}

std::optional<transport_kind> transport_from_config_name(std::string_view name) {
  for (const auto kind : {transport_kind::udp, transport_kind::tcp, transport_kind::tls,
                          transport_kind::ws, transport_kind::wss}) {
    if (config_name(kind) == name) return kind;
  }
  return std::nullopt;
}

bool is_reliable(transport_kind kind) { return kind != transport_kind::udp; }

bool is_secure(transport_kind kind) {
  return kind == transport_kind::tls || kind == transport_kind::wss;
}

std::string to_string(const flow& value) {
  const auto remote = value.remote_address.is_v6()
                          ? fmt::format("[{}]", value.remote_address.to_string())
                          : value.remote_address.to_string();
  if (value.connection_id != 0) {
    return fmt::format("{} {}:{} (connection {})", config_name(value.transport), remote,
                       value.remote_port, value.connection_id);
  }
  return fmt::format("{} {}:{}", config_name(value.transport), remote, value.remote_port);
}

}  // namespace callcenterd::sip

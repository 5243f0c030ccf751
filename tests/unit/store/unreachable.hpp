#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace callcenterd::store::testing {

/// A conninfo for 127.0.0.1 on a port that was free a moment ago: connects are refused at
/// once, which is what an unreachable PostgreSQL looks like to the store.
inline std::string unreachable_conninfo() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return "host=127.0.0.1 port=" + std::to_string(ntohs(address.sin_port)) +
         " dbname=nowhere user=nobody password=none connect_timeout=2";
}

}  // namespace callcenterd::store::testing

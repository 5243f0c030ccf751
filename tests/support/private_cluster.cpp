#include "support/private_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace callcenterd::test_support {

int private_cluster::free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("free_port: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("free_port: cannot bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

private_cluster::private_cluster()
    : script_(std::string(CALLCENTERD_SOURCE_DIR) + "/scripts/pg-cluster"), port_(free_port()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cc-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("private_cluster: mkdtemp failed");
  }
  directory_ = pattern;
  // pg-cluster creates the cluster inside; as root it hands the directory to `postgres`.
  std::filesystem::permissions(directory_, std::filesystem::perms::owner_all |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_exec);
  start();
}

private_cluster::~private_cluster() {
  if (run("remove '" + directory_ + "'") != 0) {
    std::cerr << "private_cluster: could not remove " << directory_ << '\n';
  }
}

int private_cluster::run(const std::string& arguments) const {
  const std::string command = "'" + script_ + "' " + arguments;
  const int status = std::system(command.c_str());
  return status == -1 ? -1 : WEXITSTATUS(status);
}

void private_cluster::start() {
  if (run("start '" + directory_ + "' " + std::to_string(port_)) != 0) {
    throw std::runtime_error("private_cluster: pg-cluster start failed for " + directory_);
  }
}

void private_cluster::stop() {
  if (run("stop '" + directory_ + "'") != 0) {
    throw std::runtime_error("private_cluster: pg-cluster stop failed for " + directory_);
  }
}

bool private_cluster::running() const { return run("status '" + directory_ + "'") == 0; }

std::string private_cluster::conninfo(const std::string& dbname) const {
  const std::string command = "'" + script_ + "' conninfo '" + directory_ + "' " + dbname;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("private_cluster: popen failed");
  std::string out;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    out += buffer.data();
  }
  if (::pclose(pipe) != 0 || out.empty()) {
    throw std::runtime_error("private_cluster: pg-cluster conninfo failed");
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace callcenterd::test_support

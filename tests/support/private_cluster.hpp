#pragma once

#include <string>

namespace callcenterd::test_support {

/// A PostgreSQL cluster of the test's own, made with scripts/pg-cluster in a fresh temporary
/// directory on a free port, for tests that must stop and restart the server. Removed on
/// destruction. Blocking; test threads only.
class private_cluster {
 public:
  /// Creates and starts the cluster. Throws std::runtime_error when pg-cluster fails.
  private_cluster();
  private_cluster(const private_cluster&) = delete;
  private_cluster& operator=(const private_cluster&) = delete;
  ~private_cluster();

  /// pg-cluster stop (fast shutdown: open sessions are ended). Throws on failure.
  void stop();
  /// pg-cluster start again, same port and data. Throws on failure.
  void start();
  bool running() const;

  int port() const noexcept { return port_; }
  const std::string& directory() const noexcept { return directory_; }
  /// Conninfo of the cluster's application role (it may CREATE DATABASE) for `dbname`.
  std::string conninfo(const std::string& dbname = "postgres") const;

  /// A port nobody listens on right now, found by binding 127.0.0.1:0.
  static int free_port();

 private:
  int run(const std::string& arguments) const;

  std::string script_;
  std::string directory_;
  int port_ = 0;
};

}  // namespace callcenterd::test_support

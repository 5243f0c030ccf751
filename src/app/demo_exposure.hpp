#pragma once

#include <string>
#include <vector>

namespace callcenterd::app {

/// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool is_loopback_address(const std::string& address);

/// The listen addresses (of those given) that other machines can reach. The daemon warns
/// loudly when demo accounts exist and this is not empty: their passwords are public.
std::vector<std::string> exposed_addresses(const std::vector<std::string>& listen_addresses);

}  // namespace callcenterd::app

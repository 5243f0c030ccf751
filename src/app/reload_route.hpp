#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "audit_trail.hpp"
#include "config_reloader.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// POST /api/v1/flows/reload (admins): what SIGHUP does, with the outcome in the answer: the
/// configuration and flow files are read again on `files` (blocking reads stay off the I/O
/// threads); a valid set replaces the flows for new calls, an invalid one is refused with
/// every error and changes nothing. Audited as `flows.reload`.
void register_reload_route(secured_routes& routes, audit_trail& audit, config_reloader& reloader,
                           const boost::asio::any_io_executor& files);

}  // namespace callcenterd::app

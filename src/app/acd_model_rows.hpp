#pragma once

#include <pqxx/pqxx>
#include <string>

#include "callcenterd/acd/model.hpp"

namespace callcenterd::app {

/// Writes `model` to acd_agents and acd_queues in one transaction on `connection`: every agent
/// and queue as configured, rows of ones no longer configured deleted, `node` as the writer.
/// Throws what pqxx throws.
void write_acd_model(pqxx::connection& connection, const acd::acd_model& model,
                     const std::string& node);

}  // namespace callcenterd::app

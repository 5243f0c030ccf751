#pragma once

#include <unordered_map>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/ivr/flow_set.hpp"

namespace callcenterd::ivr::detail {

/// The checks of a flow as a graph, once every target resolved (`targets`): a node that no
/// path from the start reaches is a mistake (a typo in a target, an option removed), and a
/// cycle of nodes that never wait for the caller (set, branch, switch, schedule, call) would
/// spin forever. Adds a problem for each.
void check_graph(
    const config::flow_settings& flow,
    const std::unordered_map<const config::flow_text*, const config::flow_node_settings*>& targets,
    std::vector<flow_problem>& problems);

}  // namespace callcenterd::ivr::detail

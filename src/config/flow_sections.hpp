#pragma once

#include "callcenterd/config/flow_settings.hpp"
#include "section_reader.hpp"

namespace callcenterd::config::detail {

// Readers of the flow files (config/flows/*.yaml). They check the shape: known keys, one kind
// per node, types and ranges. ivr checks the meaning (expressions, targets, loops).

/// What a caller hears: text to say, or a list of pieces (`say`, `file`, `digits`, `number`,
/// `duration`, each with an optional `language`). Returns an empty prompt after an error.
prompt_settings read_prompt(const section_reader::raw_value& raw, error_list& errors);
/// read_prompt() of `key` when present.
prompt_settings read_prompt(section_reader& in, std::string_view key);

/// One node: exactly one kind key (play, menu, ...) and the keys of that kind.
void read_flow_node(section_reader& in, flow_node_settings& out);
/// A flow: language, start and its nodes.
void read_flow(section_reader& in, flow_settings& out);
/// A calendar: time_zone, open (weekdays to intervals) and holidays.
void read_calendar(section_reader& in, calendar_settings& out);
/// A named query: sql (one SELECT, parameters $1..$n, checked here) and timeout.
void read_query(section_reader& in, query_settings& out);

/// Checks the name of a `what` ("flow", "node", "calendar") as token_check does, saying what
/// was named: "a node name must be 1 to 64 characters".
text_check name_check(std::string what);

/// Reads each entry of the mapping `key` (calendars, queries, flows, nodes) into a new item
/// of `out`: its name checked as a `what` name, its position, then `read(section, item)`.
template <class Item, class Read>
void read_named(section_reader& in, std::string_view key, std::string what, std::vector<Item>& out,
                const Read& read) {
  for (auto& [name, section] : in.named_sections(key, name_check(std::move(what)))) {
    Item item;
    item.name = name;
    item.at = section.position(name);
    read(section, item);
    section.finish();
    out.push_back(std::move(item));
  }
}

/// The top level of one flow file: `calendars:`, `queries:` and `flows:`, added to `out`.
void read_flow_file(section_reader& root, flow_set_settings& out);

}  // namespace callcenterd::config::detail

#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/config/settings.hpp"
#include "section_reader.hpp"
#include "text_checks.hpp"

namespace callcenterd::config::detail {

// One reader per section of callcenterd.yaml. Each names its keys with their types, ranges and
// defaults (the defaults live in settings.hpp) and leaves a field untouched when its value is
// refused. A new section is a new function here plus one line in read_daemon_settings().

/// The `name` of an item of a list of named things (a hold class, a queue): required, a name
/// `check` accepts (token_check unless given), and each once in the list (`seen` holds the
/// names before it).
void read_item_name(section_reader& item, std::string_view what, std::set<std::string>& seen,
                    std::string& out, const text_check& check = token_check);

void read_service(section_reader& in, service_settings& out);
void read_http(section_reader& in, http_settings& out);
/// Also resolves the password (see secrets.hpp).
void read_database(section_reader& in, database_settings& out);
void read_paths(section_reader& in, paths_settings& out);
void read_log(section_reader& in, log_settings& out);
/// `paths` must be read already: the spool file defaults to a place under paths.var.
void read_event_log(section_reader& in, event_log_settings& out, const paths_settings& paths);
void read_shutdown(section_reader& in, shutdown_settings& out);
void read_crm(section_reader& in, crm_settings& out);
void read_media(section_reader& in, media_settings& out);
void read_recording(section_reader& in, recording_settings& out);

/// The SIP front end (sip_sections.cpp).
void read_sip(section_reader& in, sip_settings& out);
/// blocklist: the refusal status, or the greeting of an announcement.
void read_blocklist(section_reader& in, blocklist_settings& out);
/// The top-level `dids:` list; reads from the root reader. `hold_classes` and `queues` (read
/// already) are the names a DID's hold_class and queue may give.
void read_dids(section_reader& root, std::vector<did_settings>& out,
               const std::vector<hold_class_settings>& hold_classes,
               const std::vector<acd::queue_settings>& queues);

/// The ACD's model (acd_sections.cpp): the top-level `agents:`, `not_ready_reasons:` and
/// `queues:`; reads from the root reader. `hold_classes` (read already) are the names a
/// queue's hold_class may give, `trunks` (read already) the trunks its callbacks may use.
void read_acd(section_reader& root, acd::acd_model& out,
              const std::vector<hold_class_settings>& hold_classes,
              const std::vector<sip_trunk_settings>& trunks);

/// Reads every section of the top-level mapping `root`; the caller calls root.finish().
void read_daemon_settings(section_reader& root, daemon_settings& out);

}  // namespace callcenterd::config::detail

#pragma once

#include <string>

#include "audit_trail.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/crm/customer_directory.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

// The CRM's routes. Every change is audited; refusals answer with the CRM's problems (see
// crm_json.hpp). Data the user may not see answers 404, as if it did not exist; a route the
// user's role may not use answers 403.

/// Customers: GET /api/v1/customers (search), /api/v1/customers/{id} (with recent contacts),
/// /api/v1/customers/{id}/contacts; POST /api/v1/customers; PUT and DELETE (admins)
/// /api/v1/customers/{id}; GET /api/v1/customers/export.csv (supervisors, admins); POST
/// /api/v1/customers/import (admins, text/csv). An agent sees the customers of the calls they
/// had, a supervisor those of their teams' agents' calls, an admin all. `directory` is kept
/// current after each write; `country_code` completes national numbers ("86").
void register_customer_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                              acd::acd_service& acd, crm::customer_directory& directory,
                              std::string country_code);

/// Tickets: GET /api/v1/tickets (filtered, paged), GET and PATCH /api/v1/tickets/{id}, POST
/// /api/v1/tickets, POST /api/v1/tickets/{id}/comments. An agent reaches the tickets assigned
/// to or created by them, a supervisor also those of their teams and their agents, an admin
/// all.
void register_ticket_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                            acd::acd_service& acd);

/// Knowledge base: GET /api/v1/kb (search), /api/v1/kb/categories, /api/v1/kb/{id} for every
/// role; POST /api/v1/kb, PUT and DELETE /api/v1/kb/{id} for supervisors and admins.
void register_kb_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool);

}  // namespace callcenterd::app

// The endpoints, by area. Each function adds its routes to the table (router.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "autograder/store.hpp"
#include "http_errors.hpp"
#include "router.hpp"
#include "server_context.hpp"

namespace autograder::server {

inline constexpr std::string_view kApiPrefix = "/api/v1";

void add_health_routes(Router& router, ServerContext& context);       // health, ready, templates, metrics, openapi
void add_config_routes(Router& router, ServerContext& context);       // /configs
void add_submission_routes(Router& router, ServerContext& context);   // /submissions
void add_execute_routes(Router& router, ServerContext& context);      // /execute
void add_session_routes(Router& router, ServerContext& context);      // /code-sessions, /executions
void add_queue_routes(Router& router, ServerContext& context);        // /queue, /workers
void add_grading_run_routes(Router& router, ServerContext& context);  // /grading-runs
void add_page_routes(Router& router);                                 // /, /live, /teacher, /docs, /assets

// The id of a path parameter; 404 naming `what` unless it is a positive integer.
int64_t path_id(const PathParams& params, const std::string& name, std::string_view what);

// The OpenAPI document, embedded at build time (openapi.json beside this file).
std::string_view openapi_document();

}  // namespace autograder::server

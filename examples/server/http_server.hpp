// The HTTP layer around the router: a request id on every response, one access-log line per
// request, JSON bodies for the errors cpp-httplib answers itself (413, 400 ...), size limits.
#pragma once

#include <httplib.h>

#include "request_guards.hpp"
#include "router.hpp"
#include "server_context.hpp"

namespace autograder::server {

void configure_http_server(httplib::Server& server, const Router& router, const BearerToken& token,
                           ServerContext& context);

}  // namespace autograder::server

// The route table: the one list of every endpoint the server serves. The HTTP server hands every
// request to Router::dispatch (404 for an unknown path, 405 with Allow for a known path and another
// method, 401 before a protected handler), and `autograder-server --list-routes` prints the same
// table, so the two cannot disagree.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <httplib.h>

#include "request_guards.hpp"

namespace autograder::server {

// Path parameters by name: {"id": "42"} for /api/v1/submissions/{id}.
using PathParams = std::map<std::string, std::string, std::less<>>;
using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&, const PathParams&)>;

enum class Access { open, token };

class Router {
public:
    // `path` in OpenAPI style: literal segments and {name} segments.
    void add(const std::string& method, const std::string& path, Access access, RouteHandler handler);
    // "METHOD /path", sorted.
    std::vector<std::string> listing() const;
    // Answers the request: the matching route's handler, or a JSON error. Exceptions of handlers
    // end here: ApiError as it says, anything else a 500 naming the request id.
    void dispatch(const httplib::Request& request, httplib::Response& response, const BearerToken& token,
                  const std::string& request_id) const;

private:
    struct Route {
        std::string method;
        std::string path;
        std::vector<std::string> segments;  // "{id}" for parameters
        Access access;
        RouteHandler handler;
    };
    // How many literal segments matched, or -1 when `segments` do not match.
    static int match(const Route& route, const std::vector<std::string>& segments, PathParams* params);
    std::vector<Route> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace autograder::server

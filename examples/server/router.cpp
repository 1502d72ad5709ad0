#include "router.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "http_errors.hpp"
#include "server_log.hpp"

namespace autograder::server {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) segments.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return segments;
}

namespace {

bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(const std::string& method, const std::string& path, Access access, RouteHandler handler) {
    routes_.push_back({method, path, split_path(path), access, std::move(handler)});
}

std::vector<std::string> Router::listing() const {
    std::vector<std::string> lines;
    for (const auto& route : routes_) lines.push_back(route.method + " " + route.path);
    std::sort(lines.begin(), lines.end());
    return lines;
}

int Router::match(const Route& route, const std::vector<std::string>& segments, PathParams* params) {
    if (route.segments.size() != segments.size()) return -1;
    int literals = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& pattern = route.segments[i];
        if (is_parameter(pattern)) {
            if (params) (*params)[pattern.substr(1, pattern.size() - 2)] = segments[i];
        } else if (pattern == segments[i]) {
            ++literals;
        } else {
            return -1;
        }
    }
    return literals;
}

void Router::dispatch(const httplib::Request& request, httplib::Response& response, const BearerToken& token,
                      const std::string& request_id) const {
    const auto segments = split_path(request.path);
    // The most specific route wins: /configs/id/{id} before /configs/{external_assignment_id}/...
    const Route* best = nullptr;
    int best_literals = -1;
    std::set<std::string> allowed;
    for (const auto& route : routes_) {
        int literals = match(route, segments, nullptr);
        if (literals < 0) continue;
        // HEAD is answered as GET (httplib sends no body).
        const bool same_method = route.method == request.method || (request.method == "HEAD" && route.method == "GET");
        if (same_method && literals > best_literals) {
            best = &route;
            best_literals = literals;
        }
        allowed.insert(route.method);
    }
    try {
        if (!best) {
            if (allowed.empty()) throw ApiError(404, fmt::format("no endpoint at {}", request.path));
            std::string allow;
            for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
            throw ApiError(405,
                           fmt::format("{} is not allowed on {} (allowed: {})", request.method, request.path, allow))
                .with_header("Allow", allow);
        }
        PathParams params;
        match(*best, segments, &params);
        if (best->access == Access::token) token.require(request);
        best->handler(request, response, params);
    } catch (const ApiError& error) {
        send_error(response, error);
    } catch (const StoreError& error) {
        if (error.kind() == StoreError::Kind::io || error.kind() == StoreError::Kind::schema_too_new) {
            log_error(fmt::format("store failure in {} {}: {}", request.method, request.path, error.what()),
                      {{"request_id", request_id}});
            send_json(response, 500,
                      {{"detail", "internal server error; the log has the details under this request id"},
                       {"request_id", request_id}});
        } else {
            send_error(response, api_error_of(error));
        }
    } catch (const std::exception& e) {
        log_error(fmt::format("internal error in {} {}: {}", request.method, request.path, e.what()),
                  {{"request_id", request_id}});
        send_json(response, 500,
                  {{"detail", "internal server error; the log has the details under this request id"},
                   {"request_id", request_id}});
    }
}

}  // namespace autograder::server

// The browser pages: GET / and /live (a live-coding page), /teacher (an assignment's submissions),
// /docs (Swagger UI over /openapi.json), and their scripts and styles under /assets/{name}. They
// are static files compiled into the binary; each talks to the API with the token the user types
// in. Every one carries a Content-Security-Policy that allows only this server's own scripts.
#include <fmt/format.h>

#include "page_assets.hpp"
#include "routes.hpp"

namespace autograder::server {
namespace {

void send_asset(httplib::Response& response, const std::string& name) {
    const auto asset = find_page_asset(name);
    if (!asset) throw ApiError(404, fmt::format("no asset named '{}'", name.substr(0, 200)));
    response.status = 200;
    response.set_header("Content-Security-Policy", std::string(kPageContentSecurityPolicy));
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("Cache-Control", "no-cache");
    response.set_content(std::string(asset->bytes), std::string(asset->content_type));
}

RouteHandler page(std::string file) {
    return [file = std::move(file)](const httplib::Request&, httplib::Response& response, const PathParams&) {
        send_asset(response, file);
    };
}

}  // namespace

void add_page_routes(Router& router) {
    router.add("GET", "/", Access::open, page("live.html"));
    router.add("GET", "/live", Access::open, page("live.html"));
    router.add("GET", "/teacher", Access::open, page("teacher.html"));
    router.add("GET", "/docs", Access::open, page("docs.html"));
    router.add("GET", "/assets/{name}", Access::open,
               [](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   send_asset(response, params.at("name"));
               });
}

}  // namespace autograder::server

// GET /health, /ready, /templates, /templates/{name}, /languages, /metrics, /openapi.json: open to
// everyone.
#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "autograder/languages.hpp"
#include "routes.hpp"

#ifndef AUTOGRADER_VERSION
#error "AUTOGRADER_VERSION must be defined by the build (the project's version)"
#endif

namespace autograder::server {
namespace {

std::string utc_now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

}  // namespace

void add_health_routes(Router& router, ServerContext& context) {
    const std::string api(kApiPrefix);
    router.add("GET", api + "/health", Access::open,
               [](const httplib::Request&, httplib::Response& response, const PathParams&) {
                   send_json(
                       response, 200,
                       {{"status", "healthy"}, {"timestamp", utc_now_iso8601()}, {"version", AUTOGRADER_VERSION}});
               });
    router.add(
        "GET", api + "/ready", Access::open,
        [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
            bool store_ok = false;
            try {
                context.store->count_configs();
                store_ok = true;
            } catch (const std::exception&) {
            }
            const bool pool_ok =
                context.pool->wait_until_ready(std::chrono::milliseconds(0)) || context.pool->stats().failures == 0;
            const bool ready = store_ok && pool_ok && !context.draining;
            send_json(
                response, ready ? 200 : 503,
                {{"status", ready ? "ready" : "not_ready"},
                 {"checks", {{"store", store_ok}, {"sandbox_pool", pool_ok}, {"draining", context.draining.load()}}}});
            if (!ready) response.set_header("Retry-After", "5");
        });
    router.add("GET", api + "/templates", Access::open,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
                   send_json(response, 200, context.templates.describe());
               });
    router.add("GET", api + "/templates/{name}", Access::open,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   const std::string& name = params.at("name");
                   const auto described = context.templates.describe();
                   for (const auto& entry : described.at("templates"))
                       if (entry.value("name", "") == name) return send_json(response, 200, entry);
                   throw ApiError(404, fmt::format("no template named '{}'", name.substr(0, 200)));
               });
    // The languages code sessions and submissions may use (the live page's language picker).
    router.add("GET", api + "/languages", Access::open,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
                   nlohmann::json languages = nlohmann::json::array();
                   const auto& table = context.pool->languages();
                   for (const auto& name : table.names()) {
                       const Language* language = table.find(name);
                       if (!language) continue;
                       languages.push_back({{"name", language->name},
                                            {"aliases", language->aliases},
                                            {"extension", language->extension},
                                            {"compiled", !language->compile.empty()},
                                            {"default_main", language->default_main}});
                   }
                   send_json(response, 200, {{"languages", languages}});
               });
    const auto metrics = [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
        response.status = 200;
        response.set_content(context.metrics.render(context.store->job_counts(), context.pool->stats()),
                             "text/plain; version=0.0.4; charset=utf-8");
    };
    router.add("GET", "/metrics", Access::open, metrics);
    router.add("GET", api + "/metrics", Access::open, metrics);
    const auto openapi = [](const httplib::Request&, httplib::Response& response, const PathParams&) {
        response.status = 200;
        response.set_content(std::string(openapi_document()), "application/json");
    };
    router.add("GET", "/openapi.json", Access::open, openapi);
    router.add("GET", api + "/openapi.json", Access::open, openapi);
}

}  // namespace autograder::server

#include "http_server.hpp"

#include <chrono>
#include <optional>

#include "http_errors.hpp"
#include "server_log.hpp"

namespace autograder::server {
namespace {

// When the request being answered on this thread began (cpp-httplib answers a connection's
// requests on one thread, one at a time).
thread_local std::optional<std::chrono::steady_clock::time_point> request_started;

const std::string& request_id_of(const httplib::Request& request, httplib::Response& response) {
    if (!response.has_header("X-Request-ID")) response.set_header("X-Request-ID", request_id_for(request));
    static thread_local std::string id;
    id = response.get_header_value("X-Request-ID");
    return id;
}

}  // namespace

void configure_http_server(httplib::Server& server, const Router& router, const BearerToken& token,
                           ServerContext& context) {
    const int threads = context.options.http_threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_payload_max_length(context.options.max_body_bytes);
    // Without TCP_NODELAY a keep-alive client waits ~40 ms per answer (Nagle and delayed ACKs).
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(1000);
    server.set_keep_alive_timeout(5);
    server.set_read_timeout(30);
    server.set_write_timeout(30);

    server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
        request_started = std::chrono::steady_clock::now();
        request_id_of(request, response);
        return httplib::Server::HandlerResponse::Unhandled;
    });
    const auto dispatch = [&router, &token](const httplib::Request& request, httplib::Response& response) {
        router.dispatch(request, response, token, request_id_of(request, response));
    };
    for (auto add : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put, &httplib::Server::Patch,
                     &httplib::Server::Delete, &httplib::Server::Options})
        (server.*add)(".*", dispatch);

    // Answers cpp-httplib makes without a handler (a body over the limit, an unreadable request)
    // get the same JSON shape as every other error.
    server.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request& request, httplib::Response& response) {
            request_id_of(request, response);
            if (!response.body.empty() || response.content_provider_)
                return httplib::Server::HandlerResponse::Unhandled;
            send_json(response, response.status, {{"detail", default_detail(response.status)}});
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler([](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
        const std::string id = request_id_of(request, response);
        send_json(
            response, 500,
            {{"detail", "internal server error; the log has the details under this request id"}, {"request_id", id}});
    });
    server.set_logger([&context](const httplib::Request& request, const httplib::Response& response) {
        double ms = 0;
        if (request_started)
            ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - *request_started).count();
        request_started.reset();
        context.metrics.count_response(response.status);
        log_info("request", {{"method", request.method},
                             {"path", request.path},
                             {"status", response.status},
                             {"ms", static_cast<double>(static_cast<int64_t>(ms * 100)) / 100},
                             {"request_id", response.get_header_value("X-Request-ID")}});
    });
}

}  // namespace autograder::server

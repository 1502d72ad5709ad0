// Live code sessions: POST /code-sessions (201), PATCH and GET /code-sessions/{id}, POST
// /code-sessions/{id}/run (202 QUEUED, or 409 with the run still QUEUED or RUNNING), and their
// executions: GET /executions/{id} and GET /executions/{id}/events (Server-Sent Events: QUEUED,
// RUNNING, then the terminal state, and the stream ends).
#include <chrono>

#include <fmt/format.h>

#include "json_fields.hpp"
#include "routes.hpp"

namespace autograder::server {
namespace {

constexpr std::size_t kMaxIdBytes = 255;

// user_id and problem_id: strings, or integers as the reference's clients send them.
std::optional<std::string> read_id(FieldReader& fields, Problems& problems, std::string_view key) {
    const auto* value = fields.member(key);
    if (value && value->is_number_integer()) return value->dump();
    if (value && !value->is_string()) {
        problems.add(fields.path(key), fmt::format("must be a string or an integer, not {}", value->type_name()));
        return std::nullopt;
    }
    return fields.text(key, Presence::required, kMaxIdBytes);
}

CodeSession session_or_404(ServerContext& context, const PathParams& params) {
    const int64_t id = path_id(params, "id", "code session");
    auto session = context.store->session(id);
    if (!session) throw ApiError(404, fmt::format("no code session with id {}", id));
    return *session;
}

Execution execution_or_404(ServerContext& context, const PathParams& params) {
    const int64_t id = path_id(params, "id", "execution");
    auto execution = context.store->execution(id);
    if (!execution) throw ApiError(404, fmt::format("no execution with id {}", id));
    return *execution;
}

nlohmann::json execution_json(const Execution& execution) {
    auto json = execution.to_json();
    // Of the run report, only the peak memory is shown (the live page's "memory").
    nlohmann::json peak_memory_kb;
    if (execution.run_report.is_object() && execution.run_report.contains("peak_memory_kb"))
        peak_memory_kb = execution.run_report["peak_memory_kb"];
    json.erase("run_report");
    json["peak_memory_kb"] = peak_memory_kb;
    return json;
}

// The states an execution has been through, in order: QUEUED, RUNNING (once started), the
// terminal one. A stream sends those it has not sent yet.
std::vector<nlohmann::json> stages_of(const Execution& execution) {
    std::vector<nlohmann::json> stages;
    nlohmann::json queued = {{"execution_id", execution.id},
                             {"session_id", execution.session_id},
                             {"status", to_string(ExecutionStatus::queued)},
                             {"created_at", execution.created_at}};
    stages.push_back(queued);
    if (execution.status == ExecutionStatus::queued) return stages;
    if (execution.started_at || execution.status == ExecutionStatus::running) {
        nlohmann::json running = queued;
        running["status"] = to_string(ExecutionStatus::running);
        running["started_at"] = execution.started_at ? nlohmann::json(*execution.started_at) : nlohmann::json();
        stages.push_back(running);
    }
    if (is_terminal(execution.status)) stages.push_back(execution_json(execution));
    return stages;
}

std::string sse_event(std::size_t sequence, const nlohmann::json& data) {
    return fmt::format("id: {}\nevent: status\ndata: {}\n\n", sequence, json_text(data));
}

}  // namespace

void add_session_routes(Router& router, ServerContext& context) {
    const std::string sessions = std::string(kApiPrefix) + "/code-sessions";
    const std::string executions = std::string(kApiPrefix) + "/executions";
    router.add("POST", sessions, Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
                   const auto body = parse_json_object(request);
                   Problems problems;
                   FieldReader fields(body, "", problems);
                   auto user = read_id(fields, problems, "user_id");
                   auto problem = read_id(fields, problems, "problem_id");
                   auto language = fields.text("language", Presence::required, 64);
                   if (language && !context.pool->languages().find(*language))
                       problems.add("language", fmt::format("'{}' is not a known language", *language));
                   problems.throw_if_any();
                   send_json(response, 201, context.store->create_session(*user, *problem, *language).to_json());
               });
    router.add("GET", sessions + "/{id}", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   send_json(response, 200, session_or_404(context, params).to_json());
               });
    router.add("PATCH", sessions + "/{id}", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const auto session = session_or_404(context, params);
                   const auto body = parse_json_object(request);
                   Problems problems;
                   FieldReader fields(body, "", problems);
                   auto code = fields.text("code", Presence::required, context.options.max_code_bytes, true);
                   problems.throw_if_any();
                   send_json(response, 200, context.store->save_session_code(session.id, *code).to_json());
               });
    router.add("POST", sessions + "/{id}/run", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const auto session = session_or_404(context, params);
                   // The body is optional: without one, the saved code runs.
                   const auto body = request.body.empty() ? nlohmann::json::object() : parse_json_object(request);
                   Problems problems;
                   FieldReader fields(body, "", problems);
                   auto code = fields.text("code", Presence::optional, context.options.max_code_bytes, true);
                   problems.throw_if_any();
                   refuse_when_queue_full(context);
                   auto run = context.store->request_run(session.id, code);
                   if (!run.created)
                       throw ApiError(409, fmt::format("code session {} already has execution {} {}; wait for it",
                                                       session.id, run.execution.id, to_string(run.execution.status)))
                           .with("execution_id", run.execution.id)
                           .with("status", to_string(run.execution.status))
                           .with("execution", execution_json(run.execution));
                   context.queue_depth.queued();
                   context.wake_workers();
                   context.events.publish();
                   response.set_header("Location", fmt::format("/api/v1/executions/{}", run.execution.id));
                   send_json(response, 202, execution_json(run.execution));
               });
    router.add("GET", executions + "/{id}", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   send_json(response, 200, execution_json(execution_or_404(context, params)));
               });
    router.add("GET", executions + "/{id}/events", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   const int64_t id = execution_or_404(context, params).id;
                   response.status = 200;
                   response.set_header("Cache-Control", "no-cache");
                   response.set_header("X-Accel-Buffering", "no");
                   response.set_chunked_content_provider(
                       "text/event-stream",
                       [&context, id, sent = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
                           constexpr auto kKeepAlive = std::chrono::seconds(15);
                           while (true) {
                               const uint64_t seen = context.events.generation();
                               const auto execution = context.store->execution(id);
                               if (!execution) break;
                               const auto stages = stages_of(*execution);
                               for (; sent < stages.size(); ++sent) {
                                   const auto event = sse_event(sent + 1, stages[sent]);
                                   if (!sink.write(event.data(), event.size())) return false;
                               }
                               if (is_terminal(execution->status)) break;
                               if (!context.events.wait_for_change(seen, kKeepAlive)) break;  // draining
                               if (context.events.generation() == seen) {
                                   static constexpr std::string_view kComment = ": keep-alive\n\n";
                                   if (!sink.write(kComment.data(), kComment.size())) return false;
                               }
                           }
                           sink.done();
                           return true;
                       });
               });
}

}  // namespace autograder::server

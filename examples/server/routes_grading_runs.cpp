// Grading runs: a whole class graded as one unit, with an optional program before the gradings
// and one after them that sees every student's result. POST /grading-runs (202: committed with
// its first jobs before the answer), GET /grading-runs/{id}, GET /grading-runs?external_assignment_id=.
#include <fmt/format.h>

#include "json_fields.hpp"
#include "routes.hpp"
#include "submission_fields.hpp"

namespace autograder::server {
namespace {

constexpr std::size_t kMaxRunStudents = 10000;
constexpr int64_t kMaxPageSize = 100;

std::optional<RunProgram> read_program(ServerContext& context, FieldReader& fields, std::string_view key,
                                       Problems& problems) {
    const auto* object = fields.of_type(key, Presence::optional, nlohmann::json::value_t::object, "an object");
    if (!object) return std::nullopt;
    FieldReader program_fields(*object, fields.path(key), problems);
    program_fields.refuse_unknown({"language", "code"});
    auto language = program_fields.text("language", Presence::required, 64);
    auto code = program_fields.text("code", Presence::required, context.options.max_code_bytes);
    if (language && !context.pool->languages().find(*language))
        problems.add(program_fields.path("language"), fmt::format("'{}' is not a known language", *language));
    if (!language || !code) return std::nullopt;
    return RunProgram{*language, *code};
}

NewGradingRun read_grading_run(ServerContext& context, const httplib::Request& request) {
    const auto body = parse_json_object(request);
    Problems problems;
    FieldReader fields(body, "", problems);
    fields.refuse_unknown({"external_assignment_id", "submissions", "from", "pre_job", "post_job"});
    NewGradingRun run;
    auto assignment = fields.text("external_assignment_id", Presence::required, kMaxIdBytes);
    auto from = fields.text("from", Presence::optional, 16);
    const auto* list = fields.of_type("submissions", Presence::optional, nlohmann::json::value_t::array, "a list");
    if (from && *from != "latest") problems.add("from", fmt::format("'{}' is not \"latest\"", *from));
    if (from && list) problems.add("from", "give either submissions or from: \"latest\", not both");
    if (!from && !list && !fields.has("submissions"))
        problems.add("submissions",
                     "give the students' submissions, or from: \"latest\" to grade each student's latest");
    run.from_latest = from.has_value();
    if (list) {
        if (list->empty()) problems.add("submissions", "must hold at least one submission");
        if (list->size() > kMaxRunStudents)
            problems.add("submissions",
                         fmt::format("holds {} submissions; at most {} are accepted", list->size(), kMaxRunStudents));
        else
            for (std::size_t i = 0; i < list->size(); ++i) {
                const std::string path = index_path("submissions", i);
                if (!(*list)[i].is_object()) {
                    problems.add(path, fmt::format("must be an object, not {}", (*list)[i].type_name()));
                    continue;
                }
                run.submissions.push_back(read_student_fields((*list)[i], path, context.options, problems));
            }
    }
    run.pre_job = read_program(context, fields, "pre_job", problems);
    run.post_job = read_program(context, fields, "post_job", problems);
    problems.throw_if_any();

    run.external_assignment_id = *assignment;
    const auto config = context.store->config_head(run.external_assignment_id);
    if (!config)
        throw ApiError(404, fmt::format("no configuration for assignment '{}'", run.external_assignment_id),
                       "external_assignment_id");
    for (std::size_t i = 0; i < run.submissions.size(); ++i)
        check_submission_language(run.submissions[i].language, *config,
                                  field_path(index_path("submissions", i), "language"), problems);
    problems.throw_if_any();
    return run;
}

}  // namespace

void add_grading_run_routes(Router& router, ServerContext& context) {
    const std::string runs = std::string(kApiPrefix) + "/grading-runs";
    router.add(
        "POST", runs, Access::token,
        [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
            NewGradingRun run = read_grading_run(context, request);
            refuse_when_queue_full(context);
            // A run queues one job per student (from "latest": known once it is created).
            const auto waiting = context.queue_depth.waiting(*context.store);
            const auto students = static_cast<int64_t>(run.submissions.size());
            if (waiting + students > context.options.max_queue)
                throw ApiError(503, fmt::format("{} jobs are waiting and the run adds {}; this server queues "
                                                "at most {}: try again later",
                                                waiting, students, context.options.max_queue))
                    .with_header("Retry-After", "5");
            GradingRun created;
            try {
                created = context.store->create_grading_run(run);
            } catch (const StoreError& e) {
                if (e.kind() != StoreError::Kind::conflict) throw;
                throw ApiError(409, e.what(), "from");
            }
            context.queue_depth.queued(static_cast<int64_t>(created.students.size()) + (created.pre_job ? 1 : 0));
            context.wake_workers();
            response.set_header("Location", fmt::format("{}/{}", "/api/v1/grading-runs", created.id));
            send_json(response, 202, created.to_json(/*with_summary=*/false));
        });
    router.add("GET", runs + "/{id}", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   const int64_t id = path_id(params, "id", "grading run");
                   auto run = context.store->grading_run(id);
                   if (!run) throw ApiError(404, fmt::format("no grading run with id {}", id));
                   send_json(response, 200, run->to_json());
               });
    router.add("GET", runs, Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
                   if (!request.has_param("external_assignment_id"))
                       throw ApiError::validation({{"external_assignment_id", "is required (a query parameter)"}});
                   const auto limit = query_integer(request, "limit", 20, 1, kMaxPageSize);
                   const auto offset = query_integer(request, "offset", 0, 0, INT64_MAX);
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& run : context.store->grading_runs_of_assignment(
                            request.get_param_value("external_assignment_id"), limit, offset))
                       list.push_back(run.to_json(/*with_summary=*/false));
                   send_json(response, 200, list);
               });
}

}  // namespace autograder::server

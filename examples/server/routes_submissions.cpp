// Submissions: POST /submissions (202: committed with its grade job before the answer),
// GET /submissions/{id}, GET /submissions/user/{external_user_id}.
#include <algorithm>

#include <fmt/format.h>

#include "json_fields.hpp"
#include "routes.hpp"
#include "submission_fields.hpp"

namespace autograder::server {
namespace {

constexpr std::size_t kMaxIdempotencyKeyBytes = 255;
constexpr int64_t kMaxPageSize = 1000;

std::string idempotency_key(const httplib::Request& request) {
    std::string key = request.get_header_value("Idempotency-Key");
    if (key.size() > kMaxIdempotencyKeyBytes)
        throw ApiError::validation(
            {{"Idempotency-Key", fmt::format("is longer than {} bytes", kMaxIdempotencyKeyBytes)}});
    for (char c : key)
        if (c < 0x21 || c > 0x7e)
            throw ApiError::validation({{"Idempotency-Key", "must be printable ASCII without spaces"}});
    return key;
}

NewSubmission read_submission(ServerContext& context, const httplib::Request& request) {
    const auto body = parse_json_object(request);
    Problems problems;
    FieldReader fields(body, "", problems);
    auto assignment = fields.text("external_assignment_id", Presence::required, kMaxIdBytes);
    NewSubmission submission = read_student_fields(body, "", context.options, problems);
    problems.throw_if_any();

    submission.external_assignment_id = *assignment;
    submission.idempotency_key = idempotency_key(request);
    const auto config = context.store->config_head(submission.external_assignment_id);
    if (!config)
        throw ApiError(404, fmt::format("no configuration for assignment '{}'", submission.external_assignment_id),
                       "external_assignment_id");
    check_submission_language(submission.language, *config, "language", problems);
    problems.throw_if_any();
    return submission;
}

}  // namespace

void add_submission_routes(Router& router, ServerContext& context) {
    const std::string submissions = std::string(kApiPrefix) + "/submissions";
    router.add("POST", submissions, Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
                   NewSubmission submission = read_submission(context, request);
                   refuse_when_queue_full(context);
                   auto accepted = context.store->accept_submission(submission);
                   if (accepted.created) {
                       context.queue_depth.queued();
                       context.wake_workers();
                   }
                   response.set_header("Location", fmt::format("{}/{}", "/api/v1/submissions", accepted.submission.id));
                   // 202: a new submission, queued; 200: the idempotency key named this earlier one.
                   send_json(response, accepted.created ? 202 : 200, accepted.submission.to_json());
               });
    router.add("GET", submissions + "/{id}", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   const int64_t id = path_id(params, "id", "submission");
                   auto submission = context.store->submission(id);
                   if (!submission) throw ApiError(404, fmt::format("no submission with id {}", id));
                   send_json(response, 200, submission->to_json());
               });
    router.add("GET", submissions + "/user/{external_user_id}", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const auto limit = query_integer(request, "limit", 100, 1, kMaxPageSize);
                   const auto offset = query_integer(request, "offset", 0, 0, INT64_MAX);
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& submission :
                        context.store->submissions_of_user(params.at("external_user_id"), limit, offset))
                       list.push_back(submission.to_json());
                   send_json(response, 200, list);
               });
}

}  // namespace autograder::server

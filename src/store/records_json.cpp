// The store's records as the REST API shows them: the field names are the reference autograder's.
#include <cmath>

#include "autograder/batch.hpp"
#include "autograder/store.hpp"
#include "text/utf8.hpp"

namespace autograder {
namespace {

// Bytes nobody vouches for (a program's output, a student's code) as a JSON string.
nlohmann::json text_value(const std::string& text) {
    return text::is_valid_utf8(text) ? nlohmann::json(text) : nlohmann::json(text::valid_utf8(text));
}

nlohmann::json optional_value(const std::optional<std::string>& text) {
    return text ? text_value(*text) : nlohmann::json();
}

nlohmann::json body_field(const nlohmann::json& body, const char* name) {
    if (!body.is_object()) return nullptr;
    auto found = body.find(name);
    return found == body.end() ? nlohmann::json() : *found;
}

}  // namespace

std::string_view to_string(SubmissionStatus status) {
    switch (status) {
        case SubmissionStatus::pending:
            return "pending";
        case SubmissionStatus::processing:
            return "processing";
        case SubmissionStatus::completed:
            return "completed";
        case SubmissionStatus::failed:
            return "failed";
    }
    return "pending";
}

std::string_view to_string(ExecutionStatus status) {
    switch (status) {
        case ExecutionStatus::queued:
            return "QUEUED";
        case ExecutionStatus::running:
            return "RUNNING";
        case ExecutionStatus::completed:
            return "COMPLETED";
        case ExecutionStatus::failed:
            return "FAILED";
        case ExecutionStatus::timeout:
            return "TIMEOUT";
    }
    return "QUEUED";
}

bool is_terminal(ExecutionStatus status) {
    return status == ExecutionStatus::completed || status == ExecutionStatus::failed ||
           status == ExecutionStatus::timeout;
}

std::string_view to_string(JobKind kind) {
    return kind == JobKind::run ? "run" : "grade";
}

std::string_view to_string(JobStatus status) {
    switch (status) {
        case JobStatus::queued:
            return "queued";
        case JobStatus::running:
            return "running";
        case JobStatus::done:
            return "done";
        case JobStatus::failed:
            return "failed";
    }
    return "queued";
}

nlohmann::json StoredConfig::to_json() const {
    nlohmann::json json = {{"id", id},
                           {"external_assignment_id", text_value(external_assignment_id)},
                           {"version", version},
                           {"template_name", document.template_name},
                           {"criteria_config", document.criteria_config},
                           {"languages", document.languages},
                           {"setup_config", document.setup_config},
                           {"feedback_config", document.feedback_config},
                           {"include_feedback", document.include_feedback},
                           {"is_active", is_active},
                           {"created_at", created_at},
                           {"updated_at", updated_at}};
    if (document.extensions.is_object())
        for (const auto& [key, value] : document.extensions.items()) json.emplace(key, value);
    return json;
}

nlohmann::json StoredSubmission::to_json() const {
    nlohmann::json body = result ? result->body : nlohmann::json();
    nlohmann::json final_score;
    if (result && std::isfinite(result->final_score)) final_score = result->final_score;
    return {{"id", id},
            {"grading_config_id", config_id},
            {"config_version", config_version},
            {"external_assignment_id", text_value(submission.external_assignment_id)},
            {"external_user_id", text_value(submission.external_user_id)},
            {"username", text_value(submission.username)},
            {"language", text_value(submission.language)},
            {"locale", text_value(submission.locale)},
            {"metadata", submission.metadata},
            {"status", to_string(status)},
            {"error", error.empty() ? nlohmann::json() : text_value(error)},
            {"submitted_at", submitted_at},
            {"graded_at", optional_value(graded_at)},
            {"final_score", final_score},
            {"feedback", body_field(body, "feedback")},
            {"result_tree", body_field(body, "result_tree")},
            {"focus", body_field(body, "focus")},
            {"score_vector", body_field(body, "score_vector")},
            {"comparison", body_field(body, "comparison")},
            {"pipeline_execution", body_field(body, "pipeline_execution")},
            {"queue_position", queue_position ? nlohmann::json(*queue_position) : nlohmann::json()}};
}

nlohmann::json CodeSession::to_json() const {
    return {{"session_id", id},
            {"user_id", text_value(user_id)},
            {"problem_id", text_value(problem_id)},
            {"language", text_value(language)},
            {"code", text_value(code)},
            {"status", status},
            {"created_at", created_at},
            {"updated_at", updated_at}};
}

nlohmann::json Execution::to_json() const {
    return {{"execution_id", id},
            {"session_id", session_id},
            {"language", text_value(language)},
            {"status", to_string(status)},
            {"stdout", text_value(stdout_text)},
            {"stderr", text_value(stderr_text)},
            {"exit_code", exit_code ? nlohmann::json(*exit_code) : nlohmann::json()},
            {"execution_time", execution_time_ms ? nlohmann::json(*execution_time_ms) : nlohmann::json()},
            {"created_at", created_at},
            {"started_at", optional_value(started_at)},
            {"finished_at", optional_value(finished_at)},
            {"run_report", run_report}};
}

std::string_view to_string(GradingRunStatus status) {
    switch (status) {
        case GradingRunStatus::pre_processing:
            return "pre_processing";
        case GradingRunStatus::grading:
            return "grading";
        case GradingRunStatus::post_processing:
            return "post_processing";
        case GradingRunStatus::completed:
            return "completed";
        case GradingRunStatus::failed:
            return "failed";
    }
    return "grading";
}

namespace {

nlohmann::json program_json(const std::optional<RunProgram>& program, const std::optional<Execution>& execution) {
    if (!program) return nullptr;
    nlohmann::json json{{"language", program->language}};
    json["execution_id"] = execution ? nlohmann::json(execution->id) : nlohmann::json();
    json["status"] = execution ? nlohmann::json(to_string(execution->status)) : nlohmann::json();
    json["exit_code"] = execution && execution->exit_code ? nlohmann::json(*execution->exit_code) : nlohmann::json();
    json["stdout"] = execution ? text_value(execution->stdout_text) : nlohmann::json();
    json["stderr"] = execution ? text_value(execution->stderr_text) : nlohmann::json();
    json["execution_time"] =
        execution && execution->execution_time_ms ? nlohmann::json(*execution->execution_time_ms) : nlohmann::json();
    return json;
}

// A student as a class summary counts them: the pipeline's status and scores once graded; a job
// that failed (the host's trouble, never the student's) as an INTERRUPTED 0, as a batch shows it.
ClassSummaryRow summary_row(const GradingRunStudent& student) {
    ClassSummaryRow row{"INTERRUPTED", 0, {}};
    if (!student.result) return row;
    const auto status = body_field(student.result->body, "status");
    if (status.is_string()) row.status = status.get<std::string>();
    if (std::isfinite(student.result->final_score)) row.score = student.result->final_score;
    const auto scores = body_field(student.result->body, "score_vector");
    if (scores.is_object())
        for (const auto& [test, score] : scores.items())
            if (score.is_number()) row.scores.emplace_back(test, score.get<double>());
    return row;
}

}  // namespace

nlohmann::json GradingRun::to_json(bool with_summary) const {
    std::map<std::string, int64_t> counts{{"pending", 0}, {"processing", 0}, {"completed", 0}, {"failed", 0}};
    nlohmann::json list = nlohmann::json::array();
    std::vector<ClassSummaryRow> finished;
    for (const auto& student : students) {
        counts[std::string(to_string(student.status))]++;
        const bool graded = student.result.has_value();
        list.push_back({{"submission_id", student.submission_id},
                        {"external_user_id", text_value(student.external_user_id)},
                        {"username", text_value(student.username)},
                        {"status", to_string(student.status)},
                        {"error", text_value(student.error)},
                        {"final_score", graded && std::isfinite(student.result->final_score)
                                            ? nlohmann::json(student.result->final_score)
                                            : nlohmann::json()},
                        {"result_status", graded ? body_field(student.result->body, "status") : nlohmann::json()}});
        if (student.status == SubmissionStatus::completed || student.status == SubmissionStatus::failed)
            finished.push_back(summary_row(student));
    }
    nlohmann::json json{{"id", id},
                        {"external_assignment_id", text_value(external_assignment_id)},
                        {"status", to_string(status)},
                        {"error", text_value(error)},
                        {"created_at", created_at},
                        {"finished_at", optional_value(finished_at)},
                        {"counts",
                         {{"total", students.size()},
                          {"pending", counts["pending"]},
                          {"processing", counts["processing"]},
                          {"completed", counts["completed"]},
                          {"failed", counts["failed"]}}},
                        {"pre_job", program_json(pre_job, pre_execution)},
                        {"post_job", program_json(post_job, post_execution)},
                        {"students", std::move(list)}};
    if (with_summary) json["summary"] = ClassSummary::of(finished).to_json();
    return json;
}

}  // namespace autograder

#include "queue/job_grading.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace autograder::queue {

nlohmann::json result_body(const GradingResult& result, const nlohmann::json& baseline) {
    const auto teacher = result.to_json(Audience::teacher);
    nlohmann::json comparison;
    if (!baseline.is_null() && result.result_tree) {
        try {
            comparison =
                compare_results(ScoreSnapshot::from_result_json(baseline), ScoreSnapshot::of(*result.result_tree))
                    .to_json();
        } catch (const std::exception& e) {
            comparison = {{"error", e.what()}};  // checked when submitted; kept as a message if not
        }
    }
    const auto field = [&](const char* key) { return teacher.contains(key) ? teacher[key] : nlohmann::json(); };
    return {{"status", to_string(result.status)},
            {"failed_at_step", result.failed_at_step ? nlohmann::json(*result.failed_at_step) : nlohmann::json()},
            {"final_score", result.final_score},
            {"feedback", result.feedback},
            {"feedback_after_due_date", result.feedback_after_due_date},
            {"teacher_feedback", result.teacher_feedback},
            {"result_tree", field("result_tree")},
            {"focus", field("focus")},
            {"score_vector", field("score_vector")},
            {"comparison", comparison},
            {"pipeline_execution", field("pipeline")},
            {"host_data", result.host_data}};
}

nlohmann::json batch_result_body(const GradingResult& result) {
    nlohmann::json scores = nlohmann::json::array();
    for (const auto& [path, score] : result.score_vector) scores.push_back({path, score});
    text::make_valid_utf8(scores);
    return {{"result", result.to_json(Audience::teacher)}, {"score_vector", std::move(scores)}};
}

bool sandbox_unavailable(const GradingResult& result) {
    return result.status == PipelineStatus::interrupted && result.failed_at_step == "SANDBOX";
}

std::string interrupted_message(const GradingResult& result) {
    for (const auto& step : result.steps)
        if (step.status != PipelineStatus::success) return step.name + ": " + step.message;
    return "interrupted";
}

std::chrono::milliseconds retry_backoff(int attempts) {
    return std::chrono::milliseconds(500) * (1 << std::clamp(attempts - 1, 0, 10));
}

JobGrading grade_job(const JobMessage& job, PipelineCache& pipelines) {
    JobGrading grading;
    try {
        const auto locale = locale_from_string(job.locale);
        if (!locale) {
            grading.outcome = JobGrading::Outcome::failed;
            grading.error = fmt::format("unknown locale '{}'", job.locale.substr(0, 64));
            return grading;
        }
        std::shared_ptr<const Pipeline> pipeline;
        try {
            pipeline = pipelines.get(job.config_id, job.config_version, job.configuration, *locale);
        } catch (const ConfigError& e) {
            grading.outcome = JobGrading::Outcome::failed;
            grading.error = fmt::format("the configuration cannot be used: {}", e.what());
            return grading;
        }
        Submission submission;
        for (const auto& file : job.files) submission.files.push_back({file.filename, file.content, file.executable});
        submission.language = job.language;
        submission.metadata = job.metadata;
        const GradingResult result = pipeline->grade(submission);
        if (sandbox_unavailable(result)) {
            grading.outcome = JobGrading::Outcome::transient_failure;
            grading.error = interrupted_message(result);
            return grading;
        }
        grading.result.job_id = job.job_id;
        grading.result.submission_id = job.submission_id;
        grading.result.final_score = result.final_score;
        grading.result.status = std::string(to_string(result.status));
        grading.result.body =
            job.reply_to.empty() ? result_body(result, job.baseline_result_tree) : batch_result_body(result);
    } catch (const std::exception& e) {
        grading.outcome = JobGrading::Outcome::failed;
        grading.error = e.what();
    }
    return grading;
}

}  // namespace autograder::queue

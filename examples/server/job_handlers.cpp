#include "job_handlers.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "autograder/feedback.hpp"
#include "autograder/pipeline.hpp"
#include "program_runs.hpp"
#include "queue/job_grading.hpp"
#include "server_log.hpp"

namespace autograder::server {
namespace {

using queue::interrupted_message;
using queue::result_body;
using queue::sandbox_unavailable;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

ExecutionOutcome outcome_of(const ExecuteResult& result) {
    ExecutionOutcome outcome;
    const RunReport& last = result.run ? *result.run : *result.compile;
    if (result.run && result.run->status == RunStatus::ok)
        outcome.status = ExecutionStatus::completed;
    else if (result.run && result.run->status == RunStatus::time_limit)
        outcome.status = ExecutionStatus::timeout;
    else
        outcome.status = ExecutionStatus::failed;  // compile error, runtime error, memory limit, ...
    outcome.stdout_text = last.stdout_text;
    outcome.stderr_text = last.stderr_text;
    if (last.exit_code >= 0) outcome.exit_code = last.exit_code;
    outcome.execution_time_ms = last.wall_ms;
    outcome.run_report = result.to_json();
    return outcome;
}

}  // namespace

void retry_later(ServerContext& context, const Job& job, const std::string& error) {
    const bool queued = context.store->retry_job(job.id, error, retry_backoff(job.attempts));
    context.metrics.count_job_outcome(std::string(to_string(job.kind)), queued ? "retried" : "failed");
    log_warning(
        fmt::format("{}: {}", queued ? "transient failure, tried again later" : "failed after its attempts", error),
        {{"job_id", job.id}, {"attempt", job.attempts}});
    context.wake_workers();  // the backoff's end is now the earliest deadline
}

void run_grade_job(ServerContext& context, const Job& job) {
    const auto started = Clock::now();
    const auto stored = context.store->submission(job.target_id, true);
    if (!stored) throw std::runtime_error(fmt::format("submission {} is gone", job.target_id));
    const auto config = context.store->config(stored->config_id, stored->config_version);
    if (!config)
        throw std::runtime_error(
            fmt::format("configuration {} version {} is gone", stored->config_id, stored->config_version));
    const Locale locale = locale_from_string(stored->submission.locale).value_or(Locale::en);
    std::shared_ptr<const Pipeline> pipeline;
    try {
        pipeline = context.pipelines->get(*config, locale);
    } catch (const ConfigError& e) {
        throw std::runtime_error(fmt::format("the configuration cannot be used: {}", e.what()));
    }
    Submission submission;
    for (const auto& file : stored->submission.files) submission.files.push_back({file.filename, file.content, false});
    submission.language = stored->submission.language;
    submission.metadata = stored->submission.metadata;
    const GradingResult result = pipeline->grade(submission);
    if (sandbox_unavailable(result)) return retry_later(context, job, interrupted_message(result));

    StoredResult stored_result;
    stored_result.job_id = job.id;
    stored_result.final_score = result.final_score;
    stored_result.body = result_body(result, stored->submission.baseline_result_tree);
    context.store->complete_grade_job(job.id, stored_result);
    context.metrics.grading_seconds.observe(seconds_since(started));
    context.metrics.count_job_outcome("grade", "completed");
    log_info("graded", {{"job_id", job.id},
                        {"submission_id", stored->id},
                        {"status", to_string(result.status)},
                        {"final_score", result.final_score},
                        {"ms", static_cast<int64_t>(seconds_since(started) * 1000)}});
}

void run_run_job(ServerContext& context, const Job& job) {
    const auto started = Clock::now();
    context.events.publish();  // claimed: RUNNING
    const auto execution = context.store->execution(job.target_id);
    if (!execution) throw std::runtime_error(fmt::format("execution {} is gone", job.target_id));
    const Language* language = context.pool->languages().find(execution->language);
    if (!language) throw std::runtime_error(fmt::format("'{}' is not a known language", execution->language));
    const std::string main_file =
        language->default_main.empty() ? "main" + language->extension : language->default_main;
    std::vector<ExecuteResult> results;
    try {
        results = run_cases(*context.pool, *language, {{main_file, execution->code, false}}, {execution->stdin_text},
                            limits_of(context.options.live), std::chrono::seconds(30));
    } catch (const SandboxError& e) {
        return retry_later(context, job, fmt::format("no sandbox: {}", e.what()));
    }
    const ExecutionOutcome outcome = outcome_of(results.front());
    context.store->complete_run_job(job.id, outcome);
    context.wake_workers();  // a grading run's pre job queues its gradings when it ends
    context.metrics.run_seconds.observe(seconds_since(started));
    context.metrics.count_job_outcome("run", "completed");
    log_info("ran", {{"job_id", job.id}, {"execution_id", execution->id}, {"status", to_string(outcome.status)}});
}

}  // namespace autograder::server

// Grading one job, as the server's own workers and `autograder worker` both do it: the stored
// result's body, and what a worker makes of a job message. A student's own failure (a compile
// error, a wrong answer, a FAILED pipeline) is the job's result; only a missing sandbox is the
// host's trouble, worth another attempt.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "queue/job_messages.hpp"
#include "queue/pipeline_cache.hpp"

namespace autograder::queue {

// What GET /submissions/{id} shows of a grading (the store keeps it as the result's body).
nlohmann::json result_body(const GradingResult& result, const nlohmann::json& baseline);

// What a worker sends back for a job of `grade --batch --queue` (a job with reply_to): {"result":
// the result JSON as `grade --json` prints it, "score_vector": [[path, score], ...] in the result
// tree's order, unrounded}, so the CLI writes the same rows, files and statistics as a batch
// graded on its own machine.
nlohmann::json batch_result_body(const GradingResult& result);

// A pipeline that stopped because no sandbox could be had: the host's trouble, not the student's.
bool sandbox_unavailable(const GradingResult& result);
// The first step that did not succeed, "STEP: message".
std::string interrupted_message(const GradingResult& result);

// The wait before the next attempt: 500 ms, doubled per attempt made.
std::chrono::milliseconds retry_backoff(int attempts);

struct JobGrading {
    enum class Outcome { graded, transient_failure, failed } outcome = Outcome::graded;
    ResultMessage result;  // graded
    std::string error;     // transient_failure, failed
};

// Grades a job message with a pipeline of `pipelines`. Never throws: a configuration that cannot
// be used, or an unexpected error, is `failed` with the reason.
JobGrading grade_job(const JobMessage& job, PipelineCache& pipelines);

}  // namespace autograder::queue

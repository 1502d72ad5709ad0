// What a worker does with one claimed job. A student's own failure (a compile error, a wrong
// answer, a FAILED pipeline, a run that times out) is the job's result; only transient failures
// (no sandbox could be had, the database stayed busy) are tried again, with backoff.
#pragma once

#include <chrono>

#include "autograder/store.hpp"
#include "queue/job_grading.hpp"
#include "server_context.hpp"

namespace autograder::server {

using queue::retry_backoff;

// Grades the submission of a grade job and writes its result (complete_grade_job).
void run_grade_job(ServerContext& context, const Job& job);
// Runs the execution of a run job and writes its outcome (complete_run_job).
void run_run_job(ServerContext& context, const Job& job);

// Queues the job again after its backoff (or fails it when its attempts are spent).
void retry_later(ServerContext& context, const Job& job, const std::string& error);

}  // namespace autograder::server

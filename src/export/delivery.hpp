// Delivering one result to one receiver: attempts, exponential backoff between them, and one
// time budget for the whole delivery (http/retry.hpp), so a receiver that hangs or refuses costs
// a grading at most that budget.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "autograder/config.hpp"
#include "autograder/export.hpp"
#include "http/retry.hpp"

namespace autograder::exporting {

using http::AttemptResult;

// http::retry with the exporter's timeout_ms, max_attempts and backoff_ms.
ExportOutcome deliver(const ExporterConfig& config,
                      const std::function<AttemptResult(std::chrono::milliseconds)>& attempt);

}  // namespace autograder::exporting

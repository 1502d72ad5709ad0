// Delivering one result to one receiver: attempts, exponential backoff between them, and one
// time budget for the whole delivery, so a receiver that hangs or refuses costs a grading at most
// that budget.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "autograder/config.hpp"
#include "autograder/export.hpp"

namespace autograder::exporting {

struct AttemptResult {
    bool ok = false;
    bool retryable = false;  // 5xx, a refused or broken connection, a time-out; never a 4xx
    std::string message;
};

// Calls `attempt(remaining)` until it succeeds, fails for good, max_attempts are spent or the
// budget (timeout_ms) is: before attempt n+1 it waits backoff_ms x 2^(n-1), cut short by the
// budget. `remaining` is what is left of the budget, for the attempt's own time-outs.
ExportOutcome deliver(const ExporterConfig& config,
                      const std::function<AttemptResult(std::chrono::milliseconds)>& attempt);

}  // namespace autograder::exporting

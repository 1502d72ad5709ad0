// Attempts with exponential backoff inside one time budget, so a server that hangs, refuses or
// asks to slow down costs a grading at most that budget. Shared by the webhook and redis exports
// and the AI model's client.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace autograder::http {

struct RetryPolicy {
    int timeout_ms = 10000;  // the whole budget, attempts and waits included
    int max_attempts = 3;
    int backoff_ms = 500;  // the wait before the second attempt; doubled before each next one
};

struct AttemptResult {
    bool ok = false;
    bool retryable = false;  // 5xx, 429, a refused or broken connection, a time-out; never another 4xx
    std::string message;
    // The server's Retry-After: the wait before the next attempt instead of the backoff.
    std::optional<std::chrono::milliseconds> retry_after = std::nullopt;
};

struct RetryOutcome {
    bool ok = false;
    int attempts = 0;
    std::string message;  // the last attempt's, and why no other was made
};

// Calls `attempt(remaining)` until it succeeds, fails for good, max_attempts are spent or the
// budget is: before attempt n+1 it waits the attempt's retry_after, else backoff_ms x 2^(n-1),
// and gives up when that wait would end past the budget. `remaining` is what is left of the
// budget, for the attempt's own time-outs. An exception from `attempt` is a final failure.
RetryOutcome retry(const RetryPolicy& policy, const std::function<AttemptResult(std::chrono::milliseconds)>& attempt);

// The Retry-After header's delay: seconds ("120") or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& header);

}  // namespace autograder::http

#include "http/retry.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <thread>

#include <fmt/format.h>

namespace autograder::http {

using Clock = std::chrono::steady_clock;

RetryOutcome retry(const RetryPolicy& policy, const std::function<AttemptResult(std::chrono::milliseconds)>& attempt) {
    RetryOutcome outcome;
    const auto deadline = Clock::now() + std::chrono::milliseconds(policy.timeout_ms);
    auto remaining = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()); };
    auto backoff = std::chrono::milliseconds(policy.backoff_ms);
    while (true) {
        ++outcome.attempts;
        AttemptResult result;
        try {
            result = attempt(std::max(remaining(), std::chrono::milliseconds(1)));
        } catch (const std::exception& e) {
            result = {false, false, e.what()};
        }
        outcome.ok = result.ok;
        outcome.message = std::move(result.message);
        if (result.ok || !result.retryable) return outcome;
        if (outcome.attempts >= policy.max_attempts) {
            outcome.message += fmt::format(" (gave up after {} attempts)", outcome.attempts);
            return outcome;
        }
        const auto wait = result.retry_after.value_or(backoff);
        if (remaining() <= wait) {
            outcome.message += fmt::format(" (gave up after {} attempts: the {} ms time-out is spent)",
                                           outcome.attempts, policy.timeout_ms);
            return outcome;
        }
        std::this_thread::sleep_for(wait);
        backoff *= 2;
    }
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& header) {
    if (header.empty()) return std::nullopt;
    long long seconds = 0;
    const char* end = header.data() + header.size();
    if (auto [last, error] = std::from_chars(header.data(), end, seconds); error == std::errc() && last == end) {
        if (seconds < 0) return std::nullopt;
        return std::chrono::milliseconds(std::min<long long>(seconds, 24 * 3600) * 1000);
    }
    // An HTTP date, "Wed, 21 Oct 2015 07:28:00 GMT": the delay from now.
    std::tm date{};
    if (::strptime(header.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date) == nullptr) return std::nullopt;
    const std::time_t when = ::timegm(&date);
    const std::time_t now = std::time(nullptr);
    return std::chrono::milliseconds(when > now ? static_cast<long long>(when - now) * 1000 : 0);
}

}  // namespace autograder::http

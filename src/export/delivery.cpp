#include "export/delivery.hpp"

#include <thread>

#include <fmt/format.h>

namespace autograder::exporting {

using Clock = std::chrono::steady_clock;

ExportOutcome deliver(const ExporterConfig& config,
                      const std::function<AttemptResult(std::chrono::milliseconds)>& attempt) {
    ExportOutcome outcome;
    outcome.kind = std::string(to_string(config.kind));
    outcome.target = config.target;
    const auto deadline = Clock::now() + std::chrono::milliseconds(config.timeout_ms);
    auto remaining = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()); };
    auto wait = std::chrono::milliseconds(config.backoff_ms);
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
        if (outcome.attempts >= config.max_attempts) {
            outcome.message += fmt::format(" (gave up after {} attempts)", outcome.attempts);
            return outcome;
        }
        if (remaining() <= wait) {
            outcome.message += fmt::format(" (gave up after {} attempts: the {} ms time-out is spent)",
                                           outcome.attempts, config.timeout_ms);
            return outcome;
        }
        std::this_thread::sleep_for(wait);
        wait *= 2;
    }
}

}  // namespace autograder::exporting

#include "export/delivery.hpp"

namespace autograder::exporting {

ExportOutcome deliver(const ExporterConfig& config,
                      const std::function<AttemptResult(std::chrono::milliseconds)>& attempt) {
    const auto retried = http::retry({config.timeout_ms, config.max_attempts, config.backoff_ms}, attempt);
    ExportOutcome outcome;
    outcome.kind = std::string(to_string(config.kind));
    outcome.target = config.target;
    outcome.ok = retried.ok;
    outcome.attempts = retried.attempts;
    outcome.message = retried.message;
    return outcome;
}

}  // namespace autograder::exporting

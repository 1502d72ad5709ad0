#include "export/export_step.hpp"

#include <chrono>

#include <fmt/format.h>

namespace autograder {

nlohmann::json ExportOutcome::to_json() const {
    return {{"kind", kind}, {"target", target}, {"ok", ok}, {"attempts", attempts}, {"message", message}};
}

namespace exporting {

ExportStep::ExportStep(const std::vector<ExporterConfig>& exporters, const std::string& assignment_directory) {
    for (const auto& config : exporters) {
        switch (config.kind) {
            case ExporterConfig::Kind::webhook:
                exporters_.push_back(make_webhook_exporter(config));
                break;
            case ExporterConfig::Kind::redis:
                exporters_.push_back(make_redis_exporter(config));
                break;
            case ExporterConfig::Kind::file:
                exporters_.push_back(make_file_exporter(config, assignment_directory));
                break;
        }
    }
}

void ExportStep::run(GradingResult& result, const Submission& submission) const {
    const auto start = std::chrono::steady_clock::now();
    ExportDocument document;
    document.json = result.to_json();
    document.json.erase("exports");
    document.json["submission"] = {{"metadata", submission.metadata}};
    document.exported_at =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    document.json["exported_at"] = document.exported_at;
    document.body = document.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    document.metadata = &submission.metadata;
    document.final_score = result.final_score;

    std::vector<std::string> failures;
    nlohmann::json details = nlohmann::json::array();
    for (const auto& exporter : exporters_) {
        ExportOutcome outcome;
        try {
            outcome = exporter->deliver(document);
        } catch (const std::exception& e) {
            outcome.message = e.what();
        }
        if (!outcome.ok) {
            failures.push_back(fmt::format("{} {}: {}", outcome.kind, outcome.target, outcome.message));
            details.push_back(outcome.to_json());
        }
        result.exports.push_back(std::move(outcome));
    }
    // A failed export is reported, never a failed grading: the step itself succeeds.
    StepResult step{"EXPORT", PipelineStatus::success, {}, 0, nullptr};
    step.message = failures.empty() ? fmt::format("{} of {} exported", exporters_.size(), exporters_.size())
                                    : fmt::format("{} of {} exports failed: {}", failures.size(), exporters_.size(),
                                                  fmt::join(failures, "; "));
    if (!failures.empty()) step.error_details = {{"failed_exports", std::move(details)}};
    step.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    result.steps.push_back(std::move(step));
}

}  // namespace exporting
}  // namespace autograder

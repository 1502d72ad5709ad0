// The exporters of the "export" section. Each delivers one graded result and says how it went; none
// throws, and none can change the score.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"
#include "autograder/export.hpp"

namespace autograder::exporting {

// What is exported: the result JSON with the submission's metadata and the time it was exported.
struct ExportDocument {
    nlohmann::json json;             // {...result..., "submission": {"metadata"}, "exported_at"}
    std::string body;                // json, serialised once (the webhook signs exactly these bytes)
    const nlohmann::json* metadata;  // the submission's metadata object
    double final_score = 0;
    std::int64_t exported_at = 0;  // Unix seconds
};

class Exporter {
public:
    virtual ~Exporter() = default;
    // Called from many grading threads at once.
    virtual ExportOutcome deliver(const ExportDocument& document) const = 0;
};

std::unique_ptr<Exporter> make_webhook_exporter(const ExporterConfig& config);
std::unique_ptr<Exporter> make_redis_exporter(const ExporterConfig& config);
// `base_directory` resolves a relative path (empty: the working directory).
std::unique_ptr<Exporter> make_file_exporter(const ExporterConfig& config, const std::string& base_directory);

}  // namespace autograder::exporting

// EXPORT, the last step: every exporter of the "export" section gets the finished result. It runs
// after a grading that succeeded or failed (a submission that does not compile still reaches the
// gradebook, with status FAILED and its report), not after INTERRUPTED (an error of the host is
// not a grade). Exporters run one after the other, each within its own time-out; their failures
// are reported, never turned into a failed grading.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "autograder/pipeline.hpp"
#include "export/exporters.hpp"

namespace autograder::exporting {

class ExportStep {
public:
    ExportStep(const std::vector<ExporterConfig>& exporters, const std::string& assignment_directory);

    // Fills result.exports and appends the EXPORT step to result.steps.
    void run(GradingResult& result, const Submission& submission) const;

private:
    std::vector<std::unique_ptr<Exporter>> exporters_;
};

}  // namespace autograder::exporting

// Fuzz target: the grading configuration parser. The input is a configuration document as text;
// it goes through the text entry point (limits, syntax errors), then, when it is JSON, through
// Pipeline::create as hosts call it, and a pipeline that needs no sandbox (static_analysis,
// webdev) grades a fixed submission. An invalid document must be a ConfigError (every problem
// with its JSON path); any other exception, a crash, a leak or undefined behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "autograder/config.hpp"
#include "autograder/pipeline.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace autograder;

void check_error(const ConfigError& error, std::string_view entry_point) {
    if (error.issues().empty()) fuzz::finding(entry_point, "ConfigError without any issue");
    fuzz::check_issues(error.issues(), entry_point);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const TemplateRegistry registry = TemplateRegistry::with_defaults();
    static const TestCatalog catalog = registry.catalog();
    std::string_view text(reinterpret_cast<const char*>(data), size);

    try {
        parse_grading_config_text(text, catalog);
    } catch (const ConfigError& e) {
        check_error(e, "parse_grading_config_text");
    } catch (const std::exception& e) {
        fuzz::finding("parse_grading_config_text threw something else than ConfigError", e.what());
    }

    nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return 0;
    std::shared_ptr<const Pipeline> pipeline;
    try {
        PipelineOptions options;
        options.pool = fuzz::inert_pool();
        pipeline = Pipeline::create(document, std::move(options));
    } catch (const ConfigError& e) {
        check_error(e, "Pipeline::create");
        return 0;
    } catch (const std::exception& e) {
        fuzz::finding("Pipeline::create threw something else than ConfigError", e.what());
    }
    fuzz::check_issues(pipeline->warnings(), "configuration warning");
    if (!fuzz::grading_needs_sandbox(*pipeline)) fuzz::grade_and_check(*pipeline, fuzz::sample_submission());
    return 0;
}

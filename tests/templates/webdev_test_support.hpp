// Running webdev test functions in tests: directly (the function's run() on a real execution, so
// a bad parameter surfaces as the exception the GRADE step turns into score 0) or through the
// whole pipeline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "analysis/submission_trees.hpp"
#include "autograder/pipeline.hpp"

namespace webdev_test {

using autograder::SourceFile;
using nlohmann::json;

// The registered webdev function `key`, run on `files` with `parameters` (flat object) and the
// test's `file`.
inline autograder::TestOutcome run(const std::string& key, const json& parameters, const std::vector<SourceFile>& files,
                                   std::optional<std::string> file = std::nullopt) {
    static const auto registry = autograder::TemplateRegistry::with_defaults();
    const autograder::TestFunction* function = registry.find({"webdev"}, key);
    REQUIRE_MESSAGE(function != nullptr, "webdev has no function " << key);
    static const auto pipeline = autograder::Pipeline::create(
        json{{"template_name", "webdev"},
             {"criteria_config", {{"base", {{"tests", {{{"name", "t"}, {"type", "check_media_queries"}}}}}}}}});
    autograder::Submission submission;
    submission.files = files;
    autograder::PipelineExecution execution(*pipeline, submission);
    // What STRUCTURAL_ANALYSIS does in a pipeline: the trees, parsed once, for functions that read them.
    if (function->needs_syntax_trees())
        execution.syntax_trees = std::make_shared<autograder::analysis::SubmissionTrees>(
            autograder::analysis::SubmissionTrees::parse(submission.files));
    autograder::TestSpec spec;
    spec.name = key;
    spec.type = key;
    spec.file = std::move(file);
    for (const auto& [name, value] : parameters.items()) spec.parameters.push_back({name, value});
    return function->run({spec, execution, nullptr});
}

inline double score(const std::string& key, const json& parameters, const std::vector<SourceFile>& files,
                    std::optional<std::string> file = std::nullopt) {
    return run(key, parameters, files, std::move(file)).score;
}

// The std::invalid_argument message of a run with bad parameters ("" when it did not throw).
inline std::string configuration_error(const std::string& key, const json& parameters,
                                       const std::vector<SourceFile>& files) {
    try {
        run(key, parameters, files);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

// One page, one stylesheet, one script.
inline std::vector<SourceFile> page(std::string html) {
    return {{"index.html", std::move(html)}};
}
inline std::vector<SourceFile> sheet(std::string css) {
    return {{"style.css", std::move(css)}};
}
inline std::vector<SourceFile> script(std::string js) {
    return {{"script.js", std::move(js)}};
}

}  // namespace webdev_test

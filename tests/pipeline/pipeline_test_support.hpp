// Shared helpers of the pipeline tests that grade against an assignment folder: one small sandbox
// pool, its configuration, a grading of some files, and lookups in the result.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

namespace pipeline_test {

// One pool for a test process: sandboxes are made on demand, at most four at once.
inline std::shared_ptr<autograder::SandboxPool> small_pool() {
    static auto shared = [] {
        autograder::SandboxPoolOptions options;
        options.default_size = 1;
        options.max_total = 4;
        return std::make_shared<autograder::SandboxPool>(options);
    }();
    return shared;
}

inline nlohmann::json read_config(const std::filesystem::path& assignment) {
    std::ifstream in(assignment / "config.json");
    REQUIRE_MESSAGE(in, "cannot read " << (assignment / "config.json"));
    return nlohmann::json::parse(in);
}

// A pipeline of `config` whose assignment files (instructor tests, assets) come from `assignment`.
inline std::shared_ptr<const autograder::Pipeline> assignment_pipeline(const std::filesystem::path& assignment,
                                                                       const nlohmann::json& config) {
    autograder::PipelineOptions options;
    options.assignment_directory = assignment.string();
    options.pool = small_pool();
    return autograder::Pipeline::create(config, options);
}

inline autograder::GradingResult grade_files(const std::filesystem::path& assignment,
                                             const std::vector<autograder::SourceFile>& files,
                                             const nlohmann::json& config) {
    autograder::Submission submission;
    submission.files = files;
    return assignment_pipeline(assignment, config)->grade(submission);
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The base category's test of that name; fails the test case when there is none.
inline const autograder::TestResult& test_named(const autograder::ResultTree& tree, const std::string& name) {
    for (const auto& test : tree.base.tests)
        if (test.name == name) return test;
    FAIL("no test " << name);
    throw std::logic_error("unreachable");
}

}  // namespace pipeline_test

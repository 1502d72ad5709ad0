// What the fuzz targets share: a sandbox pool that never makes a sandbox, the submission they
// grade, and the checks that turn a wrong answer (not only a crash) into a finding.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "autograder/sandbox_pool.hpp"

namespace autograder::fuzz {

// Stops the run like a crash would: libFuzzer saves the input and the test fails.
[[noreturn]] inline void finding(std::string_view what, std::string_view detail) {
    std::string line = "\n==fuzz finding== " + std::string(what) + ": " + std::string(detail) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::abort();
}

// A pool with no warm sandboxes and none made on demand: pipelines made with it never start a
// sandbox, and the targets never grade with one (grading_needs_sandbox).
inline std::shared_ptr<SandboxPool> inert_pool() {
    static const auto pool = [] {
        SandboxPoolOptions options;
        options.default_size = 0;
        options.max_total = 1;
        return std::make_shared<SandboxPool>(std::move(options));
    }();
    return pool;
}

inline bool grading_needs_sandbox(const Pipeline& pipeline) {
    for (const auto& name : pipeline.step_names())
        if (name == "SANDBOX") return true;
    return false;
}

// Every text that leaves the engine is JSON-able: dump() throws on invalid UTF-8.
inline std::string dump_or_finding(const nlohmann::json& value, std::string_view what) {
    try {
        return value.dump();
    } catch (const nlohmann::json::exception& e) {
        finding(what, std::string(e.what()) + " in " +
                          value.dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace));
    }
}

// Grading never throws for anything the submission or a valid configuration does, and its result
// is valid JSON. INTERRUPTED means an exception inside a step: a bug, unless a host callback of
// the C ABI target was told to misbehave (`interrupted_allowed`).
inline void grade_and_check(const Pipeline& pipeline, const Submission& submission, bool interrupted_allowed = false) {
    GradingResult result;
    try {
        result = pipeline.grade(submission);
    } catch (const std::exception& e) {
        finding("Pipeline::grade threw", e.what());
    }
    if (result.status == PipelineStatus::empty || result.status == PipelineStatus::running)
        finding("Pipeline::grade", "the result has no final status");
    std::string json = dump_or_finding(result.to_json(), "GradingResult::to_json");
    if (result.status == PipelineStatus::interrupted && !interrupted_allowed)
        finding("Pipeline::grade interrupted", json);
}

// A configuration problem is shown to people and handed to hosts as text: valid UTF-8 too.
inline void check_issues(const std::vector<ConfigIssue>& issues, std::string_view what) {
    for (const auto& issue : issues) dump_or_finding(nlohmann::json{issue.path, issue.message}, what);
}

// Files in every language the engine analyses, for pipelines that grade without a sandbox.
inline Submission sample_submission() {
    Submission submission;
    submission.files = {
        {"main.py", "def double(x):\n    return x * 2\n\nprint(double(int(input())))\n", false},
        {"Main.java", "public class Main { public static void main(String[] a) { System.out.println(1); } }\n", false},
        {"index.js", "const xs = [{id: 1}, {id: 2}];\nfor (const x of xs) console.log(x.id);\n", false},
        {"main.c", "#include <stdio.h>\nint main(void) { for (int i = 0; i < 3; i++) printf(\"%d\", i); }\n", false},
        {"main.cpp", "#include <iostream>\nint main() { while (false) {} std::cout << 1; }\n", false},
        {"index.html",
         "<!DOCTYPE html><html><head><title>t</title><link rel=\"stylesheet\" href=\"style.css\"></head>"
         "<body><nav><a href=\"#a\">a</a></nav><section id=\"a\"><img src=\"x.png\"></section>"
         "<script src=\"script.js\"></script></body></html>\n",
         false},
        {"style.css", ".box { display: flex; padding: 1em; }\n@media (max-width: 600px) { .box { margin: 0; } }\n",
         false},
        {"script.js", "document.querySelector('nav').appendChild(document.createElement('p'));\n", false},
        {"images/logo.svg", "<svg/>\n", false},
    };
    return submission;
}

}  // namespace autograder::fuzz

// Every example assignment's sample submissions, graded through the real pipeline and sandbox,
// against the scores worked out by hand in its expected.md (expected.json).
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "autograder/submission_reader.hpp"

namespace fs = std::filesystem;
using namespace autograder;

namespace {

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return nlohmann::json::parse(in);
}

std::shared_ptr<SandboxPool> shared_pool() {
    static auto pool = [] {
        SandboxPoolOptions options;
        options.default_size = 1;
        return std::make_shared<SandboxPool>(options);
    }();
    return pool;
}

// The default table with Python's warm interpreter on.
LanguageTable warm_python_table() {
    return LanguageTable::defaults().merged_with(LanguageTable::from_json(nlohmann::json::parse(R"({"languages": {
        "python": {"extension": ".py", "default_main": "main.py", "run": ["/usr/bin/python3", "{main}"],
                   "env": {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
                   "warm_interpreter": true}}})")));
}

void check_assignment(const std::string& name, bool warm_python = false) {
    fs::path folder = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / name;
    PipelineOptions options;
    options.assignment_directory = folder.string();
    options.pool = shared_pool();
    if (warm_python) {
        options.languages = warm_python_table();
        REQUIRE(options.languages.find("python")->warm_interpreter);
    }
    auto pipeline = Pipeline::create(read_json(folder / "config.json"), options);
    auto expected = read_json(folder / "expected.json");
    REQUIRE(expected.size() >= 3);
    for (const auto& [submission_name, want] : expected.items()) {
        CAPTURE(submission_name);
        Submission submission;
        submission.files = read_submission_files({(folder / "submissions" / submission_name).string()});
        GradingResult result = pipeline->grade(submission);
        auto json = result.to_json();
        INFO(json["pipeline"].dump(2));
        CHECK(json["status"] == want["status"]);
        CHECK(json["failed_at_step"] == want["failed_at_step"]);
        CHECK(result.final_score == doctest::Approx(want["final_score"].get<double>()).epsilon(1e-12));
        CHECK_FALSE(result.feedback.empty());
        if (result.status == PipelineStatus::success) {
            CHECK(result.feedback.find("/ 100**") != std::string::npos);
            REQUIRE(result.result_tree.has_value());
            // Every test that ran a program reports its resource figures.
            for (const auto& located : locate_tests(*result.result_tree))
                if (located.test->resources) CHECK(located.test->resources->wall_ms >= 0);
        } else {
            CHECK(json["result_tree"].is_null());
        }
    }
}

}  // namespace

TEST_CASE("assignment python-calculator: correct, partial and broken graded as expected") {
    check_assignment("python-calculator");
}
TEST_CASE("assignment c-geometry: correct, partial and broken graded as expected") {
    check_assignment("c-geometry");
}
TEST_CASE("assignment java-grades: correct, partial and broken graded as expected") {
    check_assignment("java-grades");
}
TEST_CASE("assignment js-wordcount: correct, partial and broken graded as expected") {
    check_assignment("js-wordcount");
}
TEST_CASE("assignment python-statistics (unit_test, pytest): correct, partial and broken graded as expected") {
    check_assignment("python-statistics");
}
TEST_CASE("assignment python-http-api (api, http.server): correct, partial and broken graded as expected") {
    check_assignment("python-http-api");
}
TEST_CASE("assignment java-junit (unit_test, junit5): correct, partial and broken graded as expected") {
    check_assignment("java-junit");
}
TEST_CASE("assignment c-doctest (unit_test, doctest): correct, partial and broken graded as expected") {
    check_assignment("c-doctest");
}
TEST_CASE("assignment python-recursion: correct, partial and broken graded as expected") {
    check_assignment("python-recursion");
}

// The same scores with Python's tests forked from a warm interpreter (docs/sandbox.md).
TEST_CASE("assignments with the warm Python interpreter on: the same scores") {
    for (const char* name : {"python-calculator", "python-recursion", "python-statistics", "python-http-api"}) {
        CAPTURE(name);
        check_assignment(name, true);
    }
}

TEST_CASE("assignment webdev-portfolio: correct, partial and broken graded as expected") {
    check_assignment("webdev-portfolio");
}

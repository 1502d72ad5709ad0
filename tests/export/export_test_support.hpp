// Shared pieces of the export tests: a grading configuration that needs no sandbox (so hundreds
// of gradings stay cheap) and running the command-line validators.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "loopback_port.hpp"

namespace export_test {

// Two static-analysis tests (no program runs) in base and one in penalty: 'sys' is forbidden.
inline nlohmann::json static_config(nlohmann::json exporters) {
    return {{"template_name", "static_analysis"},
            {"languages", {"python"}},
            {"criteria_config",
             {{"base",
               {{"tests",
                 {{{"name", "no os"}, {"type", "forbidden_import"}, {"forbidden_imports", {"os"}}},
                  {{"name", "no sys"}, {"type", "forbidden_import"}, {"forbidden_imports", {"sys"}}}}}}},
              {"penalty",
               {{"weight", 20},
                {"tests",
                 {{{"name", "no eval"}, {"type", "forbidden_keyword"}, {"forbidden_keywords", {"eval_call"}}}}}}}}},
            {"export", std::move(exporters)}};
}

// Scores 50 (imports sys).
inline autograder::Submission python_submission(const std::string& user = "alice") {
    autograder::Submission submission;
    submission.files = {{"main.py", "import sys\nprint(sys.argv)\n"}};
    submission.metadata = {{"external_user_id", user}};
    return submission;
}

using testing::unused_loopback_port;

struct ToolOutcome {
    int exit_code;
    std::string out;  // stdout and stderr
};

// Runs a shell command line; a missing tool fails the test (exit code 127), never skips it.
inline ToolOutcome run_tool(const std::string& command) {
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::filesystem::path temporary_directory(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    REQUIRE(out);
    out << text;
}

inline std::string source_path(const std::string& relative) {
    return (std::filesystem::path(AUTOGRADER_SOURCE_DIR) / relative).string();
}

// Checks text against the shipped validators: JUnit XML with xmllint --schema, TAP with Perl's
// TAP::Parser (tests/export/check_tap.pl), Gradescope JSON in the Python tests.
inline void check_junit_valid(const std::string& xml, const std::string& name) {
    auto directory = temporary_directory("junit-" + name);
    write_file(directory / "report.xml", xml);
    auto outcome = run_tool("xmllint --noout --schema " + source_path("tests/export/junit.xsd") + " " +
                            (directory / "report.xml").string());
    INFO(outcome.out);
    INFO(xml);
    CHECK(outcome.exit_code == 0);
    std::filesystem::remove_all(directory);
}

// `failed` is the number of "not ok" test points expected.
inline void check_tap_valid(const std::string& tap, std::size_t tests, std::size_t failed, const std::string& name) {
    auto directory = temporary_directory("tap-" + name);
    write_file(directory / "report.tap", tap);
    auto outcome = run_tool("perl " + source_path("tests/export/check_tap.pl") + " " + std::to_string(tests) + " " +
                            std::to_string(failed) + " < " + (directory / "report.tap").string());
    INFO(outcome.out);
    INFO(tap);
    CHECK(outcome.exit_code == 0);
    std::filesystem::remove_all(directory);
}

}  // namespace export_test

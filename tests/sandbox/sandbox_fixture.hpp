// Helpers for tests that run programs in real sandboxes.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/execute.hpp"
#include "autograder/languages.hpp"
#include "autograder/sandbox.hpp"

namespace testing {

// The bytes of a program built from tests/programs/NAME.c.
inline std::string test_program(const std::string& name) {
    std::ifstream file(std::string(AUTOGRADER_TEST_PROGRAMS_DIR) + "/" + name, std::ios::binary);
    REQUIRE_MESSAGE(file, "test program not built: " << name);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

inline std::unique_ptr<autograder::Sandbox> make_sandbox(const std::string& language = "c") {
    const auto& table = autograder::LanguageTable::defaults();
    return autograder::Sandbox::create(autograder::sandbox_options_for(table, *table.find(language)));
}

// Copies tests/programs/NAME into the workspace and runs it with `args`.
inline autograder::RunReport run_test_program(autograder::Sandbox& sandbox, const std::string& name,
                                              const autograder::Limits& limits = {}, std::vector<std::string> args = {},
                                              std::optional<std::string> stdin_data = std::string()) {
    sandbox.write_file(name, test_program(name), true);
    autograder::RunRequest request;
    request.argv = {"./" + name};
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.limits = limits;
    request.stdin_data = std::move(stdin_data);
    return sandbox.run(request);
}

// Runs a shell command line in the sandbox (sh -c).
inline autograder::RunReport run_shell(autograder::Sandbox& sandbox, const std::string& script,
                                       const autograder::Limits& limits = {},
                                       std::optional<std::string> stdin_data = std::string()) {
    autograder::RunRequest request;
    request.argv = {"/bin/sh", "-c", script};
    request.limits = limits;
    request.stdin_data = std::move(stdin_data);
    return sandbox.run(request);
}

inline std::string describe(const autograder::RunReport& report) {
    return report.to_json().dump();
}

}  // namespace testing

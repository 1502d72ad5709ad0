// Runs the built `autograder` binary as a user would, for the CLI tests.
#pragma once

#include <array>
#include <cstdio>
#include <string>

#include <doctest/doctest.h>
#include <sys/wait.h>

struct CliOutcome {
    int exit_code;
    std::string out;  // stdout and stderr, interleaved
};

// `arguments` go through the shell, after the binary's path.
inline CliOutcome run_cli(const std::string& arguments) {
    std::string command = std::string(AUTOGRADER_CLI_PATH) + " " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

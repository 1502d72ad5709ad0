// Compile-and-run in a sandbox of the server's pool: the stateless POST /execute (once per test
// case) and the runs of live code sessions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "autograder/execute.hpp"
#include "autograder/sandbox_pool.hpp"
#include "server_options.hpp"

namespace autograder::server {

Limits limits_of(const LiveRunLimits& limits);

// Runs `files` once per entry of `stdins` (in order) in one sandbox: compiled once, when the
// language compiles, and not run at all after a failed compile. Throws SandboxError when no
// sandbox comes within `wait`.
std::vector<ExecuteResult> run_cases(SandboxPool& pool, const Language& language, const std::vector<SourceFile>& files,
                                     const std::vector<std::optional<std::string>>& stdins, const Limits& limits,
                                     std::chrono::milliseconds wait);

}  // namespace autograder::server

#include "program_runs.hpp"

namespace autograder::server {

Limits limits_of(const LiveRunLimits& live) {
    Limits limits;
    limits.cpu_time_s = live.time_s;
    limits.wall_time_s = live.time_s;
    limits.memory_bytes = live.memory_mb << 20;
    limits.processes = live.processes;
    limits.output_bytes = live.output_kb << 10;
    return limits;
}

std::vector<ExecuteResult> run_cases(SandboxPool& pool, const Language& language, const std::vector<SourceFile>& files,
                                     const std::vector<std::optional<std::string>>& stdins, const Limits& limits,
                                     std::chrono::milliseconds wait) {
    std::vector<ExecuteResult> results;
    SandboxPool::Lease sandbox = pool.acquire(language.name, wait);
    ExecuteOptions options;
    options.limits = limits;
    // After the first case the program is built: the others only run it.
    Language run_only = language;
    run_only.compile.clear();
    for (const auto& stdin_data : stdins) {
        options.stdin_data = stdin_data;
        results.push_back(execute(*sandbox, pool.languages(), results.empty() ? language : run_only, files, options));
        if (results.back().compile && !results.back().run) break;  // the compile failed
    }
    return results;
}

}  // namespace autograder::server
